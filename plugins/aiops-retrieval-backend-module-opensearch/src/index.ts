/**
 * OpenSearch for AIOps retrieval: k-NN and BM25 hybrid search through a normalization search
 * pipeline, for estates with millions of incidents.
 *
 * @packageDocumentation
 */
export { aiopsRetrievalModuleOpenSearch as default } from './module';
export {
  OpenSearchRetrievalStore,
  BulkIndexingError,
  type OpenSearchRetrievalStoreOptions,
} from './OpenSearchRetrievalStore';
