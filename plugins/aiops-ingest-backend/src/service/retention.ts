import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IngestStore } from '../database/IngestStore';
import type { IngestConfig } from '../config';

/** Deletes resolved alerts, telemetry and deployments older than their configured ages. */
export async function applyRetention(
  store: IngestStore,
  retention: IngestConfig['retention'],
  logger: LoggerService,
  now = new Date(),
): Promise<void> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const deleted = await store.deleteExpired({
    resolvedAlertsBefore: before(retention.resolvedAlertsMs),
    telemetryBefore: before(retention.telemetryMs),
    deploymentsBefore: before(retention.deploymentsMs),
  });
  logger.info(
    `Retention removed ${deleted.alerts} resolved alerts, ${deleted.rollups} metric rollups and ${deleted.deployments} deployments`,
  );
}
