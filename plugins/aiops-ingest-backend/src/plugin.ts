import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { aiopsSignalCreatePermission } from '@aiops/plugin-aiops-common';
import {
  durationSettings,
  entityResolverServiceRef,
  logEffectiveDurations,
  readCatalogRefreshSchedule,
} from '@aiops/plugin-aiops-node';
import { readIngestConfig } from './config';
import { DatabaseIngestStore } from './database/DatabaseIngestStore';
import { SignalMetrics } from './http/signalMetrics';
import { createRouter } from './router';
import { IngestService } from './service/IngestService';
import { TelemetryReceivers } from './service/TelemetryReceivers';
import { applyRetention } from './service/retention';

/**
 * aiops-ingest: the data plane's front door. Receivers for alerts, deployments and OTLP
 * telemetry, keyed to the catalog, stored, then announced on the events bus.
 */
export const aiopsIngestPlugin = createBackendPlugin({
  pluginId: 'aiops-ingest',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        metrics: metricsServiceRef,
        events: eventsServiceRef,
        resolver: entityResolverServiceRef,
      },
      async init({
        rootConfig,
        logger,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        scheduler,
        metrics,
        events,
        resolver,
      }) {
        const config = readIngestConfig(rootConfig);
        logEffectiveDurations(logger, 'aiops-ingest', {
          ...durationSettings({
            retention: config.retention,
            signatures: { toleranceMs: config.signatureToleranceMs },
          }),
          ...durationSettings(
            readCatalogRefreshSchedule(rootConfig),
            'catalog.refresh.',
          ),
        });
        const store = await DatabaseIngestStore.create({ database });
        const service = new IngestService({ store, resolver, events, logger });

        // Listed in this plugin's permission metadata, so policy authors find it.
        permissionsRegistry.addPermissions([aiopsSignalCreatePermission]);
        httpRouter.use(
          await createRouter({
            service,
            store,
            httpAuth,
            permissions,
            config,
            telemetry: new TelemetryReceivers(),
            signals: new SignalMetrics(metrics),
            openReads: rootConfig.getOptionalBoolean(
              'backend.auth.dangerouslyDisableDefaultAuthPolicy',
            ),
          }),
        );
        // Receivers check credentials themselves: a sender's token (a user's only with
        // aiops.signal.create), or an HMAC signature of the body (or, for PagerDuty change
        // events, a listed routing key).
        for (const path of [
          '/alerts',
          '/deployments',
          '/otlp',
          '/changes',
          '/v2/change',
        ]) {
          httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }

        await scheduler.scheduleTask({
          id: 'aiops-ingest-retention',
          scope: 'global',
          frequency: { hours: 1 },
          timeout: { minutes: 15 },
          initialDelay: { minutes: 1 },
          fn: () => applyRetention(store, config.retention, logger),
        });
      },
    });
  },
});
