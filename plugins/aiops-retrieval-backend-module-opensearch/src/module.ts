import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Client } from '@opensearch-project/opensearch';
import { aiopsRetrievalStoreExtensionPoint } from '@aiops/plugin-aiops-node';
import { readOpenSearchConfig } from './config';
import { OpenSearchRetrievalStore } from './OpenSearchRetrievalStore';

/**
 * Puts aiops-retrieval's past-incident index in OpenSearch (`aiops.retrieval.opensearch`):
 * for estates with millions of incidents, where the embedded store's candidate lists run out.
 */
export const aiopsRetrievalModuleOpenSearch = createBackendModule({
  pluginId: 'aiops-retrieval',
  moduleId: 'opensearch',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        retrieval: aiopsRetrievalStoreExtensionPoint,
      },
      async init({ rootConfig, logger, retrieval }) {
        const config = readOpenSearchConfig(rootConfig);
        const client = new Client({
          node: config.node,
          ...(config.auth && { auth: config.auth }),
          requestTimeout: config.requestTimeoutMs,
          ssl: { rejectUnauthorized: config.rejectUnauthorized },
        });
        retrieval.setStore(
          new OpenSearchRetrievalStore({
            client,
            index: config.index,
            dimension: config.dimension,
          }),
        );
        logger.info(
          `Retrieval index in OpenSearch: ${
            new URL(config.node).origin
          }, index ${config.index}`,
        );
      },
    });
  },
});
