import type { BadDirection } from './service/deployComparison';

/** A metric the detector knows: which way it gets worse and how much change counts. */
export interface MetricDefinition {
  name: string;
  badDirection: BadDirection;
  /** Smallest relative change of the level that is a regression. */
  minRelativeChange: number;
  description: string;
}

/**
 * The suite's metric names. The minimum relative change is 0.1 for all: the false-positive
 * measurement in docs/regressions.md (0.3 false change points per week-long series of noise at
 * 0.1 against 7.6 with no floor) is why there is one at all; config changes it per metric.
 */
export const KNOWN_METRICS: readonly MetricDefinition[] = [
  {
    name: 'latency_p95_ms',
    badDirection: 'up',
    minRelativeChange: 0.1,
    description: '95th percentile of request latency, milliseconds',
  },
  {
    name: 'latency_p99_ms',
    badDirection: 'up',
    minRelativeChange: 0.1,
    description: '99th percentile of request latency, milliseconds',
  },
  {
    name: 'error_rate',
    badDirection: 'up',
    minRelativeChange: 0.1,
    description: 'failed requests / requests',
  },
  {
    name: 'throughput_rps',
    badDirection: 'down',
    minRelativeChange: 0.1,
    description: 'requests per second',
  },
  {
    name: 'cpu_utilization',
    badDirection: 'up',
    minRelativeChange: 0.1,
    description: 'CPU utilisation, 0 to 1 per core',
  },
  {
    name: 'memory_bytes',
    badDirection: 'up',
    minRelativeChange: 0.1,
    description: 'resident memory, bytes',
  },
];

export const DEFAULT_METRIC_SET = KNOWN_METRICS.map(m => m.name);

/** The annotation that replaces an entity's metric set (comma-separated metric names). */
export const METRICS_ANNOTATION = 'aiops/regression-metrics';

export function knownMetric(name: string): MetricDefinition | undefined {
  return KNOWN_METRICS.find(m => m.name === name);
}

/**
 * The metrics to scan for an entity: its annotation's list when it has one, else the
 * configured set. Unknown names come back separately, so the run records them per entity
 * rather than failing.
 */
export function metricSetOf(
  annotations: Record<string, string>,
  configured: readonly MetricDefinition[],
): { metrics: MetricDefinition[]; unknown: string[] } {
  const annotated = annotations[METRICS_ANNOTATION];
  if (annotated === undefined) return { metrics: [...configured], unknown: [] };
  const names = [
    ...new Set(
      annotated
        .split(',')
        .map(s => s.trim())
        .filter(Boolean),
    ),
  ];
  const metrics: MetricDefinition[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const metric = configured.find(m => m.name === name) ?? knownMetric(name);
    if (metric) metrics.push(metric);
    else unknown.push(name);
  }
  return { metrics, unknown };
}
