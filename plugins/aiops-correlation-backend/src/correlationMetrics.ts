import type { LoggerService } from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { cachedReading, observeGauge } from '@aiops/plugin-aiops-node';
import type { NotificationStore } from './database/NotificationStore';
import type { CorrelationEngine } from './engine/CorrelationEngine';

/**
 * The notification counts are one aggregate query over the deliveries; scrapes, however many
 * and however often, ask the database at most this often.
 */
export const NOTIFICATION_COUNTS_MAX_AGE_MS = 30_000;

/**
 * The correlation plugin's gauges (see docs/operations.md#telemetry). Incidents and feed lag
 * come from the engine's memory, so they cost nothing to read; they are this instance's view,
 * which every replica reports for itself.
 */
export function registerCorrelationMetrics(options: {
  metrics: MetricsService;
  engine: Pick<CorrelationEngine, 'feedLag' | 'openIncidentCount'>;
  notifications: Pick<NotificationStore, 'countByStatus'>;
  logger: LoggerService;
  notificationCountsMaxAgeMs?: number;
}): void {
  const { metrics, engine } = options;
  observeGauge(
    metrics,
    'aiops.correlation.incidents.open',
    {
      description:
        'Incidents open (acknowledged included) in this instance of correlation',
      unit: '{incident}',
    },
    () => [{ value: engine.openIncidentCount() }],
  );
  observeGauge<{ feed: 'alerts' | 'deployments' }>(
    metrics,
    'aiops.correlation.feed.lag',
    {
      description:
        "Items of ingest's change feed this instance has heard of but not correlated yet",
      unit: '{item}',
    },
    () => {
      const lag = engine.feedLag();
      return [
        { value: lag.alerts, attributes: { feed: 'alerts' } },
        { value: lag.deployments, attributes: { feed: 'deployments' } },
      ];
    },
  );

  const counts = cachedReading(() => options.notifications.countByStatus(), {
    maxAgeMs:
      options.notificationCountsMaxAgeMs ?? NOTIFICATION_COUNTS_MAX_AGE_MS,
    onError: error =>
      options.logger.warn(
        `Could not count notifications for the outbox metrics: ${error}`,
      ),
  });
  observeGauge<{ status: 'pending' | 'held' }>(
    metrics,
    'aiops.notifications.outbox.depth',
    {
      description:
        'Notifications waiting to be sent: pending (due or retrying) or held for a digest',
      unit: '{notification}',
    },
    async () => {
      const current = await counts();
      return (
        current && [
          { value: current.pending, attributes: { status: 'pending' } },
          { value: current.held, attributes: { status: 'held' } },
        ]
      );
    },
  );
  observeGauge(
    metrics,
    'aiops.notifications.dead_letters',
    {
      description:
        'Notifications that failed for good and wait for a person to retry them',
      unit: '{notification}',
    },
    async () => {
      const current = await counts();
      return current && [{ value: current.dead }];
    },
  );
}
