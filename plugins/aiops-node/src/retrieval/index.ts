/*
 * The contract between the retrieval plugin and the index it ranks past incidents from: the
 * plugin's own database by default, another store (OpenSearch) through
 * `aiopsRetrievalStoreExtensionPoint`. Types only, so that a store module depends on aiops-node
 * and not on the retrieval plugin.
 */
export * from './types';
export * from './RetrievalStore';
