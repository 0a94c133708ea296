import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { EntityRef } from '@aiops/plugin-aiops-common';

/** A metric of one entity over a time range, at a fixed step. */
export interface MetricQuery {
  entityRef: EntityRef;
  /** The suite's metric name, e.g. `latency_p95_ms`, `error_rate`, `throughput_rps`. */
  metric: string;
  /** Epoch milliseconds, inclusive. */
  from: number;
  to: number;
  stepMs: number;
}

/** Points in time order; a gap in the data is a missing point, not a zero. */
export interface MetricSeries {
  metric: string;
  entityRef: EntityRef;
  points: Array<{ at: number; value: number }>;
}

/**
 * Where metrics come from: the embedded per-minute rollups of ingest, Prometheus, or anything a
 * module adds. `supports` says whether it has the metric for an entity, so a consumer can ask
 * the first provider that does.
 */
export interface MetricsProvider {
  id: string;
  supports(entityRef: EntityRef, metric: string): Promise<boolean>;
  query(query: MetricQuery): Promise<MetricSeries | undefined>;
}

export interface AiopsMetricsProvidersExtensionPoint {
  addProvider(...providers: MetricsProvider[]): void;
}

/**
 * Lets a backend module add metrics providers to the plugin that reads metrics (the regression
 * detector of issue [I]) without changing it.
 */
export const aiopsMetricsProvidersExtensionPoint =
  createExtensionPoint<AiopsMetricsProvidersExtensionPoint>({
    id: 'aiops.metrics-providers',
  });
