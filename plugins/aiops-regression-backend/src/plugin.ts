import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { AiopsIngestApi, type Deployment } from '@aiops/plugin-aiops-common';
import {
  AIOPS_TOPICS,
  aiopsMetricsProvidersExtensionPoint,
  entityResolverServiceRef,
  logEffectiveDurations,
  readOk,
  suiteClientOptions,
  withServiceToken,
  type MetricsProvider,
} from '@aiops/plugin-aiops-node';
import { readRegressionConfig } from './config';
import { DatabaseRegressionStore } from './database/DatabaseRegressionStore';
import { DetectionRunner, deployMarker } from './detection/DetectionRunner';
import { toEvent } from './events';
import { EmbeddedMetricsProvider } from './providers/EmbeddedMetricsProvider';
import { PrometheusMetricsProvider } from './providers/PrometheusMetricsProvider';
import { createRouter } from './router';

/** The scheduled task's id (tests trigger it). */
export const DETECTION_TASK_ID = 'aiops-regression-detect';

/**
 * aiops-regression: scans every Component's metrics on a schedule for changes that made them
 * worse (change points, per-deploy comparisons, drift against previous days), stores them and
 * announces new ones on `aiops.regression.detected`, where correlation attaches them to
 * incidents. Reads metrics through providers (ingest's rollups, Prometheus, modules') and
 * deployments from ingest; writes only its own tables.
 */
export const aiopsRegressionPlugin = createBackendPlugin({
  pluginId: 'aiops-regression',
  register(env) {
    const moduleProviders: MetricsProvider[] = [];
    env.registerExtensionPoint(aiopsMetricsProvidersExtensionPoint, {
      addProvider(...providers) {
        moduleProviders.push(...providers);
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
        events: eventsServiceRef,
        entities: entityResolverServiceRef,
      },
      async init(deps) {
        const { rootConfig, logger, events, scheduler, entities, auth } = deps;
        const config = readRegressionConfig(rootConfig);
        logEffectiveDurations(logger, 'aiops-regression', {
          interval: config.intervalMs,
          window: config.windowMs,
        });
        const store = await DatabaseRegressionStore.create({
          database: deps.database,
        });
        const builtIn: Record<string, () => MetricsProvider> = {
          embedded: () =>
            new EmbeddedMetricsProvider({ discovery: deps.discovery, auth }),
          prometheus: () =>
            new PrometheusMetricsProvider({
              config: config.prometheus!,
              entity: ref => entities.getEntity(ref),
            }),
        };
        const providers = [
          ...moduleProviders,
          ...config.providers.map(id => builtIn[id]()),
        ];

        const ingest = new AiopsIngestApi.DefaultApiClient(
          suiteClientOptions(deps.discovery, AiopsIngestApi.pluginId),
        );
        const deployments = async (
          entityRefs: string[],
          from: string,
          to?: string,
        ): Promise<Deployment[]> => {
          const response = await withServiceToken(
            auth,
            AiopsIngestApi.pluginId,
            options =>
              ingest.listDeployments(
                {
                  query: {
                    entityRefs: entityRefs.join(','),
                    from,
                    ...(to ? { to } : {}),
                    limit: '1000',
                  },
                },
                options,
              ),
          );
          return ((await readOk(response)) as AiopsIngestApi.DeploymentPage)
            .items;
        };

        const runner = new DetectionRunner({
          store,
          providers,
          entities: async () => [...(await entities.snapshot()).entities()],
          deployments,
          publish: regression =>
            events.publish({
              topic: AIOPS_TOPICS.regressionDetected,
              eventPayload: { regression: toEvent(regression) },
            }),
          config,
          logger,
        });

        deps.httpRouter.use(
          await createRouter({
            store,
            async series(entityRef, metric, from, to) {
              const provider = await runner.providerFor(entityRef, metric);
              if (!provider)
                throw new Error(`no metrics provider has ${metric}`);
              const [points, deploys] = await Promise.all([
                runner.read(entityRef, metric, from, to, config.stepMs),
                deployments(
                  [entityRef],
                  new Date(from).toISOString(),
                  new Date(to).toISOString(),
                ),
              ]);
              return {
                provider: provider.id,
                points,
                stepMs: config.stepMs,
                deployments: deploys.map(d => ({
                  ...deployMarker(d),
                  version: d.version,
                })),
              };
            },
            ownerOf: async ref => (await entities.getEntity(ref))?.owner,
            changePoints: config.changePoints,
            windowMs: config.windowMs,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
          }),
        );

        if (!config.enabled) {
          logger.info(
            'Regression detection is disabled (aiops.regression.enabled)',
          );
          return;
        }
        await scheduler.scheduleTask({
          id: DETECTION_TASK_ID,
          // One runner across replicas: two would race to raise the same change.
          scope: 'global',
          frequency: { milliseconds: config.intervalMs },
          timeout: { milliseconds: config.timeoutMs },
          initialDelay: { milliseconds: config.initialDelayMs },
          fn: async () => {
            await runner.run();
          },
        });
      },
    });
  },
});
