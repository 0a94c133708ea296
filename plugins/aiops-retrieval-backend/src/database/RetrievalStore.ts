// The store's contract is aiops-node's, so that another store (OpenSearch) plugs in as a module.
export type {
  Candidate,
  DocumentEntry,
  Embedding,
  HybridCandidate,
  HybridQuery,
  RetrievalStore,
  SearchFilters,
  StoredDocument,
} from '@aiops/plugin-aiops-node';
