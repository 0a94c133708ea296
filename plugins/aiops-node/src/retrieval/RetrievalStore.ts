import type { FusionOptions, IncidentDocument } from './types';

/** A document a store proposed, with the store's lexical score when it found it by words. */
export interface Candidate {
  document: IncidentDocument;
  /** Higher is better; the store's own scale (BM25 or ts_rank). */
  lexical?: number;
  /** Absent when stored without a vector, or with another model's. */
  vector?: Float32Array;
}

/** Restricts a search; values compare without regard to case. */
export interface SearchFilters {
  /** The incident's routed or an affected entity. */
  entityRef?: string;
  system?: string;
  owner?: string;
  /** ISO 8601: incidents opened at or after. */
  from?: string;
  /** ISO 8601: incidents opened before. */
  to?: string;
}

export interface Embedding {
  model: string;
  vector: Float32Array;
}

export interface StoredDocument {
  document: IncidentDocument;
  /** Absent when the embedder failed when it was indexed. */
  embedding?: Embedding;
}

/** A document to write, with its tokens and (unless the embedder failed) its embedding. */
export interface DocumentEntry {
  document: IncidentDocument;
  tokens: string[];
  embedding?: Embedding;
}

/** The past-incident index: documents with their embeddings, found by words or structure. */
export interface RetrievalStore {
  /** What it is, for the plugin's status: `database`, `opensearch`, … */
  readonly name: string;
  /** Writes (or replaces) an incident's document, its tokens and its embedding. */
  put(
    document: IncidentDocument,
    tokens: string[],
    embedding?: Embedding,
  ): Promise<void>;
  /** `put` of many documents in one transaction (a reindex's page, a bulk load). */
  putMany(entries: DocumentEntry[]): Promise<void>;
  get(incidentId: string): Promise<StoredDocument | undefined>;
  /**
   * The documents with any of the tokens, best lexical match first (FTS5 BM25 on SQLite,
   * `ts_rank_cd` on PostgreSQL; higher is better, each on its own scale).
   */
  lexical(
    tokens: string[],
    options: { limit: number; filters?: SearchFilters },
  ): Promise<Array<{ incidentId: string; score: number }>>;
  /** The documents sharing the most entities and alert names with these, most first. */
  structural(
    keys: { entityRefs: string[]; alertNames: string[] },
    options: { limit: number; filters?: SearchFilters },
  ): Promise<string[]>;
  /** The documents as candidates, with their vectors only when they are of `model`. */
  candidates(incidentIds: string[], model: string): Promise<Candidate[]>;
  /** Documents in id order after `after`, for re-embedding and reindexing. */
  list(after: string, limit: number): Promise<StoredDocument[]>;
  /** How many documents have no vector of `model`. */
  countStale(model: string): Promise<number>;
  count(): Promise<number>;
  /**
   * For stores that rank by themselves (OpenSearch's hybrid query through a normalization
   * search pipeline): the best candidates for all three signals at once, fused by the store,
   * best first. Without it, the plugin fuses the lexical and structural lists itself.
   */
  hybrid?(query: HybridQuery): Promise<HybridCandidate[]>;
}

/** What a store that ranks by itself is asked. */
export interface HybridQuery {
  /** The query's words as the plugin tokenized them, joined. */
  text: string;
  /** The query's embedding, of `model`; absent when the embedder failed. */
  vector?: Float32Array;
  model: string;
  /** An incident's structure, for "similar to this incident"; absent for free text. */
  structure?: Pick<
    IncidentDocument,
    'entityRefs' | 'rootCauseEntityRef' | 'alertNames' | 'system'
  >;
  excludeIncidentId?: string;
  filters?: SearchFilters;
  limit: number;
  fusion: FusionOptions;
}

/** A candidate fused by the store, with its score (0..1, higher is more alike). */
export interface HybridCandidate extends Candidate {
  score: number;
}
