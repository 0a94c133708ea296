/**
 * What the retrieval index holds of one incident: the words people and alerts used about it and
 * the structure correlation found (entities, root cause, alert names, system), as plain data.
 */
export interface IncidentDocument {
  incidentId: string;
  title: string;
  status: 'open' | 'acknowledged' | 'resolved';
  severity: string;
  system?: string;
  owner?: string;
  /** The routed entity first, then the affected ones; lower-case refs, no duplicates. */
  entityRefs: string[];
  /** The best root-cause candidate's entity, lower-case. */
  rootCauseEntityRef?: string;
  /** Alert names (the `alertname` label, else the title), sorted, no duplicates. */
  alertNames: string[];
  /** `name=value` of the alerts' labels when the caller read them, sorted, no duplicates. */
  alertLabels: string[];
  /** The findings' summaries, in the incident's order. */
  findings: string[];
  /** The current narrative's summary, when the narrator wrote one. */
  narrative?: string;
  /** What fixed it, as the person who resolved it wrote. */
  resolutionNote?: string;
  postmortemUrl?: string;
  openedAt: string;
  resolvedAt?: string;
  /** Milliseconds from opened to resolved; absent while unresolved. */
  timeToResolveMs?: number;
}

/** An incident's resolution as a person recorded it when resolving. */
export interface IncidentResolution {
  note?: string;
  postmortemUrl?: string;
}

/** The ranking signals of one candidate, each 0..1 (higher is more alike). */
export interface CandidateSignals {
  /** Lexical relevance (BM25 / ts_rank) as the store scored it; absent when not a lexical hit. */
  lexical?: number;
  /** Cosine similarity of the embeddings; absent when either has no vector. */
  vector?: number;
  structural: number;
}

export interface StructuralMatch {
  sharedEntities: string[];
  sharedAlertNames: string[];
  sameRootCause: boolean;
  sameSystem: boolean;
  /** 0..1: the weighted agreement of the four. */
  score: number;
}

/** Why a hit matched, for a person to judge it. */
export interface MatchExplanation {
  sharedEntities: string[];
  sharedAlertNames: string[];
  sameRootCause: boolean;
  sameSystem: boolean;
  /** Query words the hit also contains, most specific first. */
  sharedTerms: string[];
  signals: CandidateSignals;
}

export type FusionMethod = 'minmax' | 'rrf';

/** How the signals are combined. Weights are relative; they need not add up to 1. */
export interface FusionOptions {
  method: FusionMethod;
  weights: { lexical: number; vector: number; structural: number };
  /** RRF's rank constant (60 in the original paper). */
  rrfK: number;
}

export const DEFAULT_FUSION: FusionOptions = {
  method: 'minmax',
  weights: { lexical: 0.35, vector: 0.35, structural: 0.3 },
  rrfK: 60,
};
