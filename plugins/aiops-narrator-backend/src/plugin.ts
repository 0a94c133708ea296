import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  AIOPS_TOPICS,
  entityResolverServiceRef,
  llmServiceRef,
  logEffectiveDurations,
  type AiopsEventPayloads,
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

        // The fast path: an announcement says how far the feed holds changes. Not awaited: the
        // publisher (correlation's batch) waits for its subscribers.
        await events.subscribe({
          id: 'aiops-narrator',
          topics: [AIOPS_TOPICS.incidentChanged],
          async onEvent({ eventPayload }) {
            const { cursor } =
              eventPayload as AiopsEventPayloads[typeof AIOPS_TOPICS.incidentChanged];
            follower
              .reached(cursor)
              .catch(error =>
                logger.warn(
                  `Narrator could not read incident changes: ${error}`,
                ),
              );
          },
        });
        lifecycle.addShutdownHook(() => follower.stop());
        // The source of truth: catches up after downtime and with what events missed.
        await scheduler.scheduleTask({
          id: 'aiops-narrator-catch-up',
          // Replicas share the feed's cursor and the schedule; any of them may narrate.
          scope: 'local',
          frequency: { milliseconds: config.catchUpIntervalMs },
          timeout: { minutes: 5 },
          fn: () => follower.catchUp(),
        });
      },
    });
  },
});
