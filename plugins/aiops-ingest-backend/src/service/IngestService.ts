import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  AIOPS_TOPICS,
  echoed,
  type AiopsEventPayloads,
  type EntityResolver,
} from '@aiops/plugin-aiops-node';
import type { EntityResolution } from '@aiops/plugin-aiops-common';
import { InputError } from '@backstage/errors';
import type {
  AlertDelivery,
  IngestStore,
  RecordedAlert,
  RecordedDeployment,
} from '../database/IngestStore';
import { GroupCommit } from './GroupCommit';
import type { ParsedGenericEvent } from './alerts/generic';
import type { AlertInput, DeploymentInput, TelemetryInput } from './inputs';
import {
  entityKeyFor,
  keyTelemetry,
  type KeyedTelemetry,
} from './telemetryKeys';
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
  private readonly alertWrites: GroupCommit<AlertDelivery, RecordedAlert>;
  private readonly deploymentWrites: GroupCommit<
    { input: DeploymentInput; resolution: EntityResolution },
    RecordedDeployment
  >;

  constructor(
    private readonly options: {
      store: IngestStore;
      resolver: EntityResolver;
      events: EventsService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    // One announcement per committed write, however many requests it carried: with the events
    // backend installed every event is an HTTP request, so a storm of single-alert requests
    // would otherwise cost one bus round trip per alert.
    this.alertWrites = new GroupCommit(async items => {
      const recorded = await options.store.recordAlerts(items, this.now());
      const alerts = recorded.flatMap(result =>
        result && PUBLISHED_ALERT_CHANGES.has(result.change)
          ? [{ alert: result.alert, cursor: result.cursor }]
          : [],
      );
      if (alerts.length > 0)
        this.announce(AIOPS_TOPICS.alertReceived, { alerts });
      return recorded;
    });
    this.deploymentWrites = new GroupCommit(async items => {
      const recorded = await options.store.recordDeployments(items, this.now());
      const deployments = recorded.flatMap(({ deployment, change, cursor }) =>
        change === 'unchanged' ? [] : [{ deployment, cursor }],
      );
      if (deployments.length > 0) {
        this.announce(AIOPS_TOPICS.deploymentReceived, { deployments });
      }
      return recorded;
    });
  }

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
    const { resolver } = this.options;
    for (const event of events) {
      if (event.alert) assertStorableAlert(event.alert, event.index);
      if (event.resolve)
        assertFits(
          event.resolve.fingerprint,
          255,
          `alerts[${event.index}].dedup_key`,
        );
    }
    const applicable = events.filter(e => e.alert || e.resolve);
    const deliveries = await Promise.all(
      applicable.map(async e =>
        e.alert
          ? {
              input: e.alert,
              resolution: await resolver.resolve(e.alert.labels),
            }
          : { resolveByKey: e.resolve!, source: 'generic' as const },
      ),
    );
    const recorded = await this.alertWrites.submit(deliveries);

    const ignored = events
      .filter(e => e.ignored)
      .map(e => ({ index: e.index, reason: e.ignored! }));
    const receipt: AlertReceipt = {
      accepted: 0,
      alerts: [],
      ignored,
      truncatedAlerts,
    };
    recorded.forEach((result, i) => {
      const index = applicable[i].index;
      if (!result) {
        ignored.push({
          index,
          reason: 'no alert is stored under this dedup_key',
        });
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
    return receipt;
  }

  async receiveDeployments(
    deployments: DeploymentInput[],
  ): Promise<DeploymentReceipt> {
    const { resolver } = this.options;
    deployments.forEach(assertStorableDeployment);
    const withResolution = await Promise.all(
      deployments.map(async input => ({
        input,
        resolution: await resolver.resolve(input.labels),
      })),
    );
    const recorded = await this.deploymentWrites.submit(withResolution);
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

  async receiveTelemetry(
    telemetry: TelemetryInput,
  ): Promise<{ rollups: number; exemplars: number; edges: number }> {
    const { store, resolver } = this.options;
    const keys = new Map<string, string>();
    const labelSets = [
      ...telemetry.rollups.map(r => r.labels),
      ...telemetry.exemplars.map(e => e.labels),
      ...telemetry.edges.flatMap(e => [e.callerLabels, e.calleeLabels]),
    ];
    for (const labels of labelSets) {
      const id = labelsKey(labels);
      if (!keys.has(id))
        keys.set(id, entityKeyFor(await resolver.resolve(labels), labels));
    }
    const keyed = keyTelemetry(
      telemetry,
      labels => keys.get(labelsKey(labels))!,
    );
    assertStorableTelemetry(keyed);
    await store.recordTelemetry(keyed);
    return {
      rollups: keyed.rollups.length,
      exemplars: keyed.exemplars.length,
      edges: keyed.edges.length,
    };
  }

  /**
   * Announces committed changes without holding up the sender's acknowledgement: the data is
   * already durable, and a consumer that misses an event catches up from the change feed.
   */
  private announce<T extends keyof AiopsEventPayloads>(
    topic: T,
    payload: AiopsEventPayloads[T],
  ) {
    this.options.events
      .publish({ topic, eventPayload: payload })
      .catch(error =>
        this.options.logger.warn(
          `Could not publish ${topic}; consumers will catch up from the change feed: ${error}`,
        ),
      );
  }
}

/** Tells the sender where a signal landed: its entity, or why it has none. */
function keyingOutcome(resolution: EntityResolution) {
  return resolution.status === 'resolved'
    ? { entityRef: resolution.entityRef }
    : { unownedReason: resolution.reason };
}

/** Column limits of the store: a longer value is the sender's error, never a database error. */
function assertFits(value: string | undefined, max: number, path: string) {
  if (value !== undefined && value.length > max) {
    throw new InputError(`${path} is longer than ${max} characters`);
  }
}

function assertStorableAlert(alert: AlertInput, index: number) {
  const field = alert.source === 'generic' ? 'dedup_key' : 'fingerprint';
  assertFits(alert.fingerprint, 255, `alerts[${index}].${field}`);
}

function assertStorableDeployment(deployment: DeploymentInput, index: number) {
  const at = (field: string) => `deployments[${index}].${field}`;
  assertFits(deployment.externalId, 512, at('id'));
  for (const field of [
    'environment',
    'version',
    'previousVersion',
    'commit',
    'actor',
  ] as const) {
    assertFits(deployment[field], 255, at(field));
  }
}

/** Columns of the telemetry tables, and the prefix of keys of services the catalog lacks. */
const TELEMETRY_KEY_LENGTH = 255;
const SEVERITY_LENGTH = 32;
const UNOWNED_PREFIX = 'unowned:';

/**
 * Telemetry is keyed after parsing, so these limits are checked here: a service name (kept as
 * `unowned:<name>`), metric name or log severity too long for its column is the sender's
 * error, never a database error (PostgreSQL refused a fuzzed 300-character peer.service: 500).
 */
function assertStorableTelemetry(telemetry: KeyedTelemetry) {
  const keys = [
    ...telemetry.rollups.map(r => r.entityKey),
    ...telemetry.exemplars.map(e => e.entityKey),
    ...telemetry.edges.flatMap(e => [e.callerKey, e.calleeKey]),
  ];
  const longKey = keys.find(key => key.length > TELEMETRY_KEY_LENGTH);
  if (longKey !== undefined) {
    const service = longKey.startsWith(UNOWNED_PREFIX)
      ? longKey.slice(UNOWNED_PREFIX.length)
      : longKey;
    throw new InputError(
      `service name "${echoed(service, 64)}" is longer than ${
        TELEMETRY_KEY_LENGTH - UNOWNED_PREFIX.length
      } characters`,
    );
  }
  const longMetric = telemetry.rollups.find(
    r => r.metric.length > TELEMETRY_KEY_LENGTH,
  );
  if (longMetric) {
    throw new InputError(
      `metric name "${echoed(
        longMetric.metric,
      )}" is longer than ${TELEMETRY_KEY_LENGTH} characters`,
    );
  }
  const longSeverity = telemetry.exemplars.find(
    e => e.severity.length > SEVERITY_LENGTH,
  );
  if (longSeverity) {
    throw new InputError(
      `severityText "${echoed(
        longSeverity.severity,
      )}" is longer than ${SEVERITY_LENGTH} characters`,
    );
  }
}
