import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { AIOPS_TOPICS, type EntityResolver } from '@aiops/plugin-aiops-node';
import type { EntityResolution } from '@aiops/plugin-aiops-common';
import type { IngestStore, RecordedAlert } from '../database/IngestStore';
import type { ParsedGenericEvent } from './alerts/generic';
import type { AlertInput, DeploymentInput, TelemetryInput } from './inputs';
import { entityKeyFor, keyTelemetry } from './telemetryKeys';
import { labelsKey } from './otlp/attributes';

/** What the sender gets back: per item, what happened, so nothing is dropped silently. */
export interface AlertReceipt {
  accepted: number;
  alerts: Array<{
    index: number;
    id: string;
    fingerprint: string;
    status: string;
    change: string;
    entityRef?: string;
    unownedReason?: string;
  }>;
  ignored: Array<{ index: number; reason: string }>;
  truncatedAlerts?: number;
}

export interface DeploymentReceipt {
  accepted: number;
  deployments: Array<{
    index: number;
    id: string;
    status: string;
    change: string;
    entityRef?: string;
    unownedReason?: string;
  }>;
}

/** State changes worth telling consumers about; repeats and stale copies are only stored. */
const PUBLISHED_ALERT_CHANGES = new Set(['created', 'fired', 'resolved']);

/**
 * The data plane's front door: keys signals to the catalog, commits them, and only then
 * announces them. A failed announcement is logged, not returned: the data is committed and
 * consumers catch up from the change feed.
 */
export class IngestService {
  constructor(
    private readonly options: {
      store: IngestStore;
      resolver: EntityResolver;
      events: EventsService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  async receiveAlerts(
    alerts: AlertInput[],
    extra: { truncatedAlerts?: number } = {},
  ): Promise<AlertReceipt> {
    return this.receiveGenericAlerts(
      alerts.map((alert, index) => ({ index, alert })),
      extra.truncatedAlerts,
    );
  }

  async receiveGenericAlerts(
    events: ParsedGenericEvent[],
    truncatedAlerts?: number,
  ): Promise<AlertReceipt> {
    const { store, resolver } = this.options;
    const applicable = events.filter(e => e.alert || e.resolve);
    const deliveries = await Promise.all(
      applicable.map(async e =>
        e.alert
          ? { input: e.alert, resolution: await resolver.resolve(e.alert.labels) }
          : { resolveByKey: e.resolve!, source: 'generic' as const },
      ),
    );
    const recorded = await store.recordAlerts(deliveries, this.now());

    const ignored = events
      .filter(e => e.ignored)
      .map(e => ({ index: e.index, reason: e.ignored! }));
    const receipt: AlertReceipt = { accepted: 0, alerts: [], ignored, truncatedAlerts };
    recorded.forEach((result, i) => {
      const index = applicable[i].index;
      if (!result) {
        ignored.push({ index, reason: 'no alert is stored under this dedup_key' });
        return;
      }
      const { alert, change } = result;
      receipt.accepted += 1;
      receipt.alerts.push({
        index,
        id: alert.id,
        fingerprint: alert.fingerprint,
        status: alert.status,
        change,
        ...keyingOutcome(alert.resolution),
      });
    });
    ignored.sort((a, b) => a.index - b.index);
    await this.publishAlerts(recorded);
    return receipt;
  }

  async receiveDeployments(deployments: DeploymentInput[]): Promise<DeploymentReceipt> {
    const { store, resolver } = this.options;
    const withResolution = await Promise.all(
      deployments.map(async input => ({ input, resolution: await resolver.resolve(input.labels) })),
    );
    const recorded = await store.recordDeployments(withResolution, this.now());
    for (const { deployment, change, cursor } of recorded) {
      if (change === 'unchanged') continue;
      await this.publish(AIOPS_TOPICS.deploymentReceived, { deployment, cursor });
    }
    return {
      accepted: recorded.length,
      deployments: recorded.map(({ deployment, change }, index) => ({
        index,
        id: deployment.id,
        status: deployment.status,
        change,
        ...keyingOutcome(deployment.resolution),
      })),
    };
  }

  async receiveTelemetry(telemetry: TelemetryInput): Promise<{ rollups: number; exemplars: number; edges: number }> {
    const { store, resolver } = this.options;
    const keys = new Map<string, string>();
    const labelSets = [
      ...telemetry.rollups.map(r => r.labels),
      ...telemetry.exemplars.map(e => e.labels),
      ...telemetry.edges.flatMap(e => [e.callerLabels, e.calleeLabels]),
    ];
    for (const labels of labelSets) {
      const id = labelsKey(labels);
      if (!keys.has(id)) keys.set(id, entityKeyFor(await resolver.resolve(labels), labels));
    }
    const keyed = keyTelemetry(telemetry, labels => keys.get(labelsKey(labels))!);
    await store.recordTelemetry(keyed);
    return {
      rollups: keyed.rollups.length,
      exemplars: keyed.exemplars.length,
      edges: keyed.edges.length,
    };
  }

  private async publishAlerts(recorded: RecordedAlert[]) {
    for (const result of recorded) {
      if (!result || !PUBLISHED_ALERT_CHANGES.has(result.change)) continue;
      await this.publish(AIOPS_TOPICS.alertReceived, {
        alert: result.alert,
        cursor: result.cursor,
      });
    }
  }

  private async publish(topic: string, eventPayload: object) {
    try {
      await this.options.events.publish({ topic, eventPayload });
    } catch (error) {
      this.options.logger.warn(
        `Could not publish ${topic}; consumers will catch up from the change feed: ${error}`,
      );
    }
  }
}

/** Tells the sender where a signal landed: its entity, or why it has none. */
function keyingOutcome(resolution: EntityResolution) {
  return resolution.status === 'resolved'
    ? { entityRef: resolution.entityRef }
    : { unownedReason: resolution.reason };
}
