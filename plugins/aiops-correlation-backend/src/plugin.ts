import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { aiopsPermissions } from '@aiops/plugin-aiops-common';
import {
  aiopsNotificationChannelsExtensionPoint,
  AIOPS_TOPICS,
  entityResolverServiceRef,
  incidentPermissionResourceRef,
  incidentPermissionRules,
  logEffectiveDurations,
  readCatalogRefreshSchedule,
  type AiopsEventPayloads,
} from '@aiops/plugin-aiops-node';
import { effectiveDurations, readCorrelationConfig } from './config';
import { registerCorrelationMetrics } from './correlationMetrics';
import { DatabaseCheckpointStore } from './database/CheckpointStore';
import { DatabaseIncidentStore } from './database/DatabaseIncidentStore';
import { DatabaseNotificationStore } from './database/DatabaseNotificationStore';
import { DatabaseSilenceStore } from './database/DatabaseSilenceStore';
import { CorrelationEngine } from './engine/CorrelationEngine';
import { IncidentActions } from './engine/IncidentActions';
import { HttpIngestClient } from './engine/IngestClient';
import { cachedSilences } from './engine/silenceSource';
import { cachedTopology } from './engine/topologySource';
import { NotificationChannelRegistry } from './notify/channelRegistry';
import { builtInChannels } from './notify/channels/builtIn';
import { readNotificationSettings } from './notify/config';
import { Notifier } from './notify/Notifier';
import { createRouter } from './router';
import { BUILT_IN_CHANNEL_KINDS } from './service/routing/builtInRouting';

/**
 * aiops-correlation: turns ingest's alerts and deployments into incidents with findings and
 * root causes, by deterministic rules, and serves their lifecycle, silences and health.
 */
export const aiopsCorrelationPlugin = createBackendPlugin({
  pluginId: 'aiops-correlation',
  register(env) {
    // Modules register their channels before the plugin starts; the plugin adds its own then.
    const channels = new NotificationChannelRegistry(BUILT_IN_CHANNEL_KINDS);
    env.registerExtensionPoint(aiopsNotificationChannelsExtensionPoint, {
      addChannel: (...added) => channels.add(...added),
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
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        metrics: metricsServiceRef,
        events: eventsServiceRef,
        resolver: entityResolverServiceRef,
        backstageNotifications: notificationService,
      },
      async init(deps) {
        const { rootConfig, logger, database, events, scheduler, lifecycle } =
          deps;
        const config = readCorrelationConfig(rootConfig);
        const [incidents, silences, checkpoints, notifications] =
          await Promise.all([
            DatabaseIncidentStore.create({ database }),
            DatabaseSilenceStore.create({ database }),
            DatabaseCheckpointStore.create({ database }),
            DatabaseNotificationStore.create({ database }),
          ]);
        const ingest = new HttpIngestClient({
          discovery: deps.discovery,
          auth: deps.auth,
        });
        const silenceSource = cachedSilences({ store: silences });
        const engine = new CorrelationEngine({
          incidents,
          checkpoints,
          ingest,
          topology: cachedTopology({
            resolver: deps.resolver,
            ingest,
            logger,
            observedWindowMs: config.observedCallsWindowMs,
          }),
          silences: silenceSource.silences,
          config: config.rules,
          events,
          logger,
          checkpointIntervalMs: config.checkpointIntervalMs,
          refreshIntervalMs: config.refreshIntervalMs,
          changeCursor: id => notifications.changeCursor(id),
        });

        registerCorrelationMetrics({
          metrics: deps.metrics,
          engine,
          notifications,
          logger,
        });

        const notificationSettings = readNotificationSettings(rootConfig);
        logEffectiveDurations(
          logger,
          'aiops-correlation',
          effectiveDurations(
            config,
            notificationSettings,
            readCatalogRefreshSchedule(rootConfig),
          ),
        );
        channels.addBuiltIns(
          ...builtInChannels({
            settings: notificationSettings,
            backstageNotifications: deps.backstageNotifications,
          }),
        );
        logger.info(
          `Notification channels: ${channels
            .list()
            .map(channel => channel.kind)
            .join(', ')}`,
        );
        const notifier = new Notifier({
          settings: notificationSettings,
          incidents,
          notifications,
          catalog: entityRefs => deps.resolver.snapshot(entityRefs),
          channels: channels.list(),
          logger,
        });

        deps.permissionsRegistry.addResourceType({
          resourceRef: incidentPermissionResourceRef,
          permissions: aiopsPermissions,
          rules: Object.values(incidentPermissionRules),
          getResources: async ids =>
            Promise.all(
              ids.map(async id => (await incidents.getIncident(id))?.incident),
            ),
        });

        deps.httpRouter.use(
          await createRouter({
            incidents,
            silences,
            notifications,
            routingProblems: () => notifier.problems.list(),
            actions: new IncidentActions({ incidents, engine }),
            engine,
            ingest,
            logger,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            permissionsRegistry: deps.permissionsRegistry,
            onSilencesChanged: silenceSource.invalidate,
          }),
        );

        await events.subscribe({
          id: 'aiops-correlation',
          topics: [
            AIOPS_TOPICS.alertReceived,
            AIOPS_TOPICS.deploymentReceived,
            AIOPS_TOPICS.regressionDetected,
          ],
          async onEvent({ topic, eventPayload }) {
            if (topic === AIOPS_TOPICS.alertReceived) {
              const { alerts } =
                eventPayload as AiopsEventPayloads[typeof topic];
              engine.acceptAlerts(alerts);
            } else if (topic === AIOPS_TOPICS.deploymentReceived) {
              const { deployments } =
                eventPayload as AiopsEventPayloads[typeof topic];
              engine.acceptDeployments(deployments);
            } else if (topic === AIOPS_TOPICS.regressionDetected) {
              const { regression } =
                eventPayload as AiopsEventPayloads[typeof topic];
              await engine.acceptRegression(regression);
            }
          },
        });

        // Routing follows the change feed; an announcement routes what it tells of at once.
        // Not awaited: the publisher (correlation's own batch, on this replica) waits for its
        // subscribers, and routing must not hold it up.
        await events.subscribe({
          id: 'aiops-correlation-notifications',
          topics: [AIOPS_TOPICS.incidentChanged],
          async onEvent({ eventPayload }) {
            const { cursor } =
              eventPayload as AiopsEventPayloads[typeof AIOPS_TOPICS.incidentChanged];
            if (cursor) void notifier.changeAnnounced(cursor);
          },
        });

        // Ingest's read API is served once every plugin has started.
        lifecycle.addStartupHook(() => engine.start());
        lifecycle.addShutdownHook(() => engine.stop());
        lifecycle.addShutdownHook(() => notifier.stop());
        await scheduler.scheduleTask({
          id: 'aiops-correlation-tick',
          // Every replica correlates everything; each needs its own clock.
          scope: 'local',
          frequency: { milliseconds: config.tickIntervalMs },
          timeout: { minutes: 5 },
          fn: () => engine.tick(),
        });
        await scheduler.scheduleTask({
          id: 'aiops-correlation-notify',
          // Every replica takes part; claims keep them from sending anything twice.
          scope: 'local',
          frequency: { milliseconds: notificationSettings.delivery.intervalMs },
          timeout: { minutes: 5 },
          fn: () => notifier.run(),
        });
      },
    });
  },
});
