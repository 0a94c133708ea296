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
  /**
   * The incident it was merged into: a merged incident's alerts live on in that one, so it is
   * kept in the index (its id stays readable) but never answered as a hit.
   */
  mergedInto?: string;
}

export type FusionMethod = 'minmax' | 'rrf';

/** How the signals are combined. Weights are relative; they need not add up to 1. */
export interface FusionOptions {
  method: FusionMethod;
  weights: { lexical: number; vector: number; structural: number };
  /** RRF's rank constant (60 in the original paper). */
  rrfK: number;
}
