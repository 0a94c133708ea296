import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { RetrievalStore } from '../retrieval';

export interface AiopsRetrievalStoreExtensionPoint {
  /**
   * Puts the past-incident index in this store instead of the plugin's own database (one store:
   * a second call is an error, so two modules cannot silently override each other).
   */
  setStore(store: RetrievalStore): void;
}

/**
 * Lets a backend module give the retrieval plugin (`aiops-retrieval`) another index, such as
 * OpenSearch for estates with millions of incidents, without changing the plugin.
 */
export const aiopsRetrievalStoreExtensionPoint =
  createExtensionPoint<AiopsRetrievalStoreExtensionPoint>({
    id: 'aiops.retrieval-store',
  });
