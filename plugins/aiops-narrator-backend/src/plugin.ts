import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  followIncidentChanges,
  entityResolverServiceRef,
  llmServiceRef,
  logEffectiveDurations,
} from '@aiops/plugin-aiops-node';
import { readNarratorConfig } from './config';
import { DatabaseNarrativeStore } from './database/DatabaseNarrativeStore';
import { ChangeFollower } from './engine/ChangeFollower';
import { Narrator } from './engine/Narrator';
import { narratorStatus } from './engine/status';
import { HttpSuiteClient } from './engine/SuiteClient';
import { createRouter } from './router';

/**
 * aiops-narrator: incident narratives from correlation's findings. A template narrative for
 * every changed incident, and a model's rewrite when an LLM is configured and the rewrite
 * passes the grounding check. It reads correlation and ingest and writes only narratives.
 */
export const aiopsNarratorPlugin = createBackendPlugin({
  pluginId: 'aiops-narrator',
  register(env) {
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
        resolver: entityResolverServiceRef,
        llm: llmServiceRef,
      },
      async init(deps) {
        const { rootConfig, logger, events, scheduler, lifecycle, llm } = deps;
        const config = readNarratorConfig(rootConfig);
        logEffectiveDurations(logger, 'aiops-narrator', {
          debounce: config.debounceMs,
          catchUpInterval: config.catchUpIntervalMs,
          deployWindow: config.deployWindowMs,
        });
        const store = await DatabaseNarrativeStore.create({
          database: deps.database,
        });
        const suite = new HttpSuiteClient({
          discovery: deps.discovery,
          auth: deps.auth,
        });
        const narrator = new Narrator({
          store,
          suite,
          catalog: expected => deps.resolver.snapshot(expected),
          llm,
          config,
          logger,
        });
        const follower = new ChangeFollower({
          database: await deps.database.getClient(),
          store,
          suite,
          narrator,
          debounceMs: config.debounceMs,
          logger,
        });

        deps.httpRouter.use(
          await createRouter({
            store,
            incident: async id => (await suite.incident(id))?.incident,
            narrate: (id, options) => narrator.narrate(id, options),
            status: () =>
              narratorStatus({
                llm,
                enabled: config.enabled,
                debounceMs: config.debounceMs,
                cursor: () => follower.cursor(),
              }),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
          }),
        );

        if (!config.enabled) {
          logger.info('Narrator is disabled (aiops.narrator.enabled)');
          return;
        }
        logger.info(
          `Narrator follows incident changes; language model ${
            llm.available()
              ? 'available'
              : 'unavailable, template narratives only'
          }`,
        );

        await followIncidentChanges({
          id: 'aiops-narrator',
          follower,
          events,
          scheduler,
          lifecycle,
          logger,
          catchUpIntervalMs: config.catchUpIntervalMs,
          doing: 'read incident changes',
        });
      },
    });
  },
});
