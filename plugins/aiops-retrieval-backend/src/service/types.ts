// The document and the fusion options are aiops-node's: a store module (OpenSearch) reads them too.
import type { FusionOptions } from '@aiops/plugin-aiops-node';

export type {
  FusionMethod,
  FusionOptions,
  IncidentDocument,
} from '@aiops/plugin-aiops-node';

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

export const DEFAULT_FUSION: FusionOptions = {
  method: 'minmax',
  weights: { lexical: 0.35, vector: 0.35, structural: 0.3 },
  rrfK: 60,
};
