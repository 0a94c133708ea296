import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  aiopsRetrievalStoreExtensionPoint,
  followIncidentChanges,
  HttpCorrelationReader,
  HttpIncidentContextReader,
  llmServiceRef,
  logEffectiveDurations,
} from '@aiops/plugin-aiops-node';
import { readRetrievalConfig } from './config';
import { DatabaseRetrievalStore } from './database/DatabaseRetrievalStore';
import type { RetrievalStore } from './database/RetrievalStore';
import { ChangeFollower } from './engine/ChangeFollower';
import { Indexer } from './engine/Indexer';
import { Retriever } from './engine/Retriever';
import { createRouter } from './router';
import { chooseEmbedder } from './engine/chooseEmbedder';

/**
 * aiops-retrieval: past incidents like this one and how they were resolved. Indexes every
 * incident correlation reports a change of, and ranks them by words, embeddings and structure.
 * It reads correlation and writes only its own index.
 */
export const aiopsRetrievalPlugin = createBackendPlugin({
  pluginId: 'aiops-retrieval',
  register(env) {
    let moduleStore: RetrievalStore | undefined;
    env.registerExtensionPoint(aiopsRetrievalStoreExtensionPoint, {
      setStore(store) {
        if (moduleStore)
          throw new Error(
            'aiops-retrieval: a store was set already; install one retrieval store module',
          );
        moduleStore = store;
      },
    });
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        events: eventsServiceRef,
        llm: llmServiceRef,
      },
      async init(deps) {
        const { rootConfig, logger, events, scheduler, lifecycle } = deps;
        const config = readRetrievalConfig(rootConfig);
        logEffectiveDurations(logger, 'aiops-retrieval', {
          catchUpInterval: config.catchUpIntervalMs,
        });
        const store =
          moduleStore ??
          (await DatabaseRetrievalStore.create({ database: deps.database }));
        const correlation = new HttpCorrelationReader({
          discovery: deps.discovery,
          auth: deps.auth,
        });
        const embedder = chooseEmbedder(config.embedder, deps.llm, logger);
        logger.info(`Retrieval embeds with ${embedder.model}`);
        const indexer = new Indexer({
          store,
          correlation,
          context: new HttpIncidentContextReader({
            discovery: deps.discovery,
            auth: deps.auth,
          }),
          embedder,
          logger,
        });
        const retriever = new Retriever({
          store,
          embedder,
          fusion: config.fusion,
          logger,
        });

        // Created before the router so that the status can say how far it has read.
        const follower = config.enabled
          ? new ChangeFollower({
              database: await deps.database.getClient(),
              correlation,
              indexer,
              logger,
            })
          : undefined;
        deps.httpRouter.use(
          await createRouter({
            incident: id => correlation.incident(id),
            similar: (document, k) => retriever.similar(document, k),
            search: (text, filters, k) => retriever.search(text, filters, k),
            reindex: () => indexer.reindex(),
            status: async () => ({
              store: store.name,
              model: embedder.model,
              fusion: config.fusion.method,
              documents: await store.count(),
              withoutVector: await store.countStale(embedder.model),
              indexing: !!follower,
              ...(follower && { cursor: await follower.cursor() }),
            }),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
          }),
        );

        if (!follower) {
          logger.info(
            'Retrieval indexing is disabled (aiops.retrieval.enabled)',
          );
          return;
        }
        // Not awaited: a large index re-embeds while the plugin already answers.
        indexer
          .reembedIfStale()
          .catch(error =>
            logger.warn(`Retrieval could not re-embed its index: ${error}`),
          );
        await followIncidentChanges({
          id: 'aiops-retrieval',
          follower,
          events,
          scheduler,
          lifecycle,
          logger,
          catchUpIntervalMs: config.catchUpIntervalMs,
          doing: 'index incident changes',
        });
      },
    });
  },
});
