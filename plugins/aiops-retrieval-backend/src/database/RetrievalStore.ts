import type { Candidate } from '../service/rankCandidates';
import type { IncidentDocument } from '../service/types';

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
}
