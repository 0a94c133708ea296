import type { Alert, Deployment, Labels } from '@aiops/plugin-aiops-common';

/**
 * What a receiver makes of a sender's payload: plain data in the suite's terms, before it is
 * keyed to the catalog and stored. Receivers are pure functions from a parsed body to these
 * inputs; they throw `InputError` naming the offending field.
 */

export type AlertInput = Pick<
  Alert,
  | 'source'
  | 'status'
  | 'severity'
  | 'title'
  | 'description'
  | 'labels'
  | 'annotations'
  | 'startsAt'
  | 'endsAt'
  | 'generatorUrl'
> & {
  /** The sender's fingerprint or dedup key, else a stable hash of the sorted labels. */
  fingerprint: string;
};

/** A deployment as a sender tells it; `externalId` with `source` is the idempotency key. */
export type DeploymentInput = Omit<Deployment, 'id' | 'resolution'> & {
  /** Labels to key the deployment to the catalog (`service`, `app`, `backstage.io/entity-ref`…). */
  labels: Labels;
};

/**
 * One per-minute aggregate of one metric for one keyed source, ready to be merged into the
 * rollup store. Receivers aggregate within a request; the store merges across requests.
 */
export interface RollupInput {
  /** Labels to key the series (OTLP resource attributes: `service.name`, …). */
  labels: Labels;
  metric: string;
  /** Start of the minute, epoch milliseconds. */
  minute: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /**
   * Histogram buckets, non-cumulative counts by upper bound (`Infinity` for the last one), so
   * quantiles can be estimated after merging.
   */
  buckets?: Array<{ upperBound: number; count: number }>;
}

/** A log record or span worth linking from a series: an error with its trace context. */
export interface ExemplarInput {
  labels: Labels;
  /** epoch milliseconds */
  time: number;
  kind: 'log' | 'span';
  severity: string;
  message: string;
  traceId?: string;
  spanId?: string;
}

/** An observed call from one service to another (a client span and its server span). */
export interface CallEdgeInput {
  callerLabels: Labels;
  /** The callee's labels: from the server span's resource, or `peer.service` / `server.address`. */
  calleeLabels: Labels;
  /** epoch milliseconds */
  time: number;
  count: number;
  errorCount: number;
}

/** Everything an OTLP request contributes. */
export interface TelemetryInput {
  rollups: RollupInput[];
  exemplars: ExemplarInput[];
  edges: CallEdgeInput[];
}
