import type {
  Alert,
  Deployment,
  EntityResolution,
  Feed,
  Page,
} from '@aiops/plugin-aiops-common';
import type { AlertChange } from '../service/alerts/alertLifecycle';
import type { AlertResolveByKey } from '../service/alerts/generic';
import type {
  AlertInput,
  DeploymentInput,
  RollupInput,
} from '../service/inputs';
import type { DeploymentChange } from '../service/deploymentLifecycle';
import type { KeyedTelemetry } from '../service/telemetryKeys';

export type AlertDelivery =
  | { input: AlertInput; resolution: EntityResolution }
  | { resolveByKey: AlertResolveByKey; source: Alert['source'] };

/** `undefined` when a resolve-by-key named an alert that was never stored. */
export type RecordedAlert =
  | { alert: Alert; change: AlertChange; cursor: string }
  | undefined;

export interface RecordedDeployment {
  deployment: Deployment;
  change: DeploymentChange;
  cursor: string;
}

export interface TimeRange {
  /** ISO 8601 */
  from?: string;
  to?: string;
}

export interface AlertQuery extends TimeRange {
  entityRef?: string;
  status?: Alert['status'];
  /** Only alerts no catalog entity was found for. */
  unowned?: boolean;
  limit: number;
  /** Page cursor: items changed before this one. */
  cursor?: string;
}

export interface DeploymentQuery extends TimeRange {
  entityRef?: string;
  /** Any of these entities (with `entityRef` too: both must hold). */
  entityRefs?: string[];
  environment?: string;
  limit: number;
  cursor?: string;
}

// The API's page and change-feed shapes, declared once in aiops-common.
export type { Feed, Page };

export interface SeriesQuery {
  entityKey: string;
  metric: string;
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
  stepMs: number;
}

export interface SeriesPoint {
  /** Start of the step, epoch ms. */
  time: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Merged histogram buckets, when the metric has them. */
  buckets?: RollupInput['buckets'];
}

export interface ObservedEdge {
  callerKey: string;
  calleeKey: string;
  count: number;
  errorCount: number;
  firstSeen: number;
  lastSeen: number;
}

export interface Exemplar {
  entityKey: string;
  time: number;
  kind: 'log' | 'span';
  severity: string;
  message: string;
  traceId?: string;
  spanId?: string;
}

/** Persistence of everything ingest accepts. Writes are transactional per call. */
export interface IngestStore {
  recordAlerts(
    deliveries: AlertDelivery[],
    now: Date,
  ): Promise<RecordedAlert[]>;
  listAlerts(query: AlertQuery): Promise<Page<Alert>>;
  /** The stored alerts with these ids, in the order asked for, each once; unknown ids are left out. */
  getAlerts(ids: string[]): Promise<Alert[]>;
  alertFeed(after: string | undefined, limit: number): Promise<Feed<Alert>>;

  recordDeployments(
    deployments: Array<{
      input: DeploymentInput;
      resolution: EntityResolution;
    }>,
    now: Date,
  ): Promise<RecordedDeployment[]>;
  listDeployments(query: DeploymentQuery): Promise<Page<Deployment>>;
  deploymentFeed(
    after: string | undefined,
    limit: number,
  ): Promise<Feed<Deployment>>;

  recordTelemetry(telemetry: KeyedTelemetry): Promise<void>;
  readSeries(query: SeriesQuery): Promise<SeriesPoint[]>;
  listExemplars(query: {
    entityKey: string;
    from: number;
    to: number;
    limit: number;
  }): Promise<Exemplar[]>;
  listEdges(query: {
    from: number;
    to: number;
    entityKey?: string;
  }): Promise<ObservedEdge[]>;

  deleteExpired(cutoffs: {
    resolvedAlertsBefore: Date;
    telemetryBefore: Date;
    deploymentsBefore: Date;
  }): Promise<{ alerts: number; rollups: number; deployments: number }>;
}
