import type { EntityResolution, Labels } from '@aiops/plugin-aiops-common';
import type { ExemplarInput, RollupInput, TelemetryInput } from './inputs';

/**
 * Telemetry is stored per entity. Series that key to no entity are kept under
 * `unowned:<service name>` so the platform page can show them and nothing is dropped.
 */
export function entityKeyFor(
  resolution: EntityResolution,
  labels: Labels,
): string {
  if (resolution.status === 'resolved') return resolution.entityRef;
  const service =
    labels['service.name'] ??
    labels.service ??
    labels.app ??
    labels.job ??
    'unknown';
  return `unowned:${service}`;
}

export type KeyedRollup = Omit<RollupInput, 'labels'> & { entityKey: string };
export type KeyedExemplar = Omit<ExemplarInput, 'labels'> & {
  entityKey: string;
};
export interface KeyedEdge {
  callerKey: string;
  calleeKey: string;
  minute: number;
  count: number;
  errorCount: number;
}

export interface KeyedTelemetry {
  rollups: KeyedRollup[];
  exemplars: KeyedExemplar[];
  edges: KeyedEdge[];
}

const MINUTE_MS = 60_000;

/**
 * Keys every item and merges what lands on the same (entity, metric, minute): two label sets
 * may name one entity, and the store upserts each key once per request.
 */
export function keyTelemetry(
  telemetry: TelemetryInput,
  keyOf: (labels: Labels) => string,
): KeyedTelemetry {
  const rollups = new Map<string, KeyedRollup>();
  for (const { labels, ...rollup } of telemetry.rollups) {
    const entityKey = keyOf(labels);
    const id = `${entityKey}\n${rollup.metric}\n${rollup.minute}`;
    const existing = rollups.get(id);
    rollups.set(
      id,
      existing ? mergeRollup(existing, rollup) : { ...rollup, entityKey },
    );
  }

  const edges = new Map<string, KeyedEdge>();
  for (const edge of telemetry.edges) {
    const callerKey = keyOf(edge.callerLabels);
    const calleeKey = keyOf(edge.calleeLabels);
    if (callerKey === calleeKey) continue;
    const minute = Math.floor(edge.time / MINUTE_MS) * MINUTE_MS;
    const id = `${callerKey}\n${calleeKey}\n${minute}`;
    const existing = edges.get(id);
    if (existing) {
      existing.count += edge.count;
      existing.errorCount += edge.errorCount;
    } else {
      edges.set(id, {
        callerKey,
        calleeKey,
        minute,
        count: edge.count,
        errorCount: edge.errorCount,
      });
    }
  }

  return {
    rollups: [...rollups.values()],
    exemplars: telemetry.exemplars.map(({ labels, ...exemplar }) => ({
      ...exemplar,
      entityKey: keyOf(labels),
    })),
    edges: [...edges.values()],
  };
}

export function mergeRollup<T extends Omit<RollupInput, 'labels'>>(
  a: T,
  b: Omit<RollupInput, 'labels'>,
): T {
  return {
    ...a,
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    buckets: mergeBuckets(a.buckets, b.buckets),
  };
}

export function mergeBuckets(
  a: RollupInput['buckets'],
  b: RollupInput['buckets'],
): RollupInput['buckets'] {
  if (!a) return b;
  if (!b) return a;
  const byBound = new Map<number, number>();
  for (const { upperBound, count } of [...a, ...b]) {
    byBound.set(upperBound, (byBound.get(upperBound) ?? 0) + count);
  }
  return [...byBound.entries()]
    .sort(([x], [y]) => x - y)
    .map(([upperBound, count]) => ({ upperBound, count }));
}

/**
 * Estimates a quantile from non-cumulative buckets the way Prometheus' histogram_quantile
 * does: linear interpolation inside the bucket that holds the rank; the +Inf bucket answers
 * with the largest finite bound.
 */
export function quantileFromBuckets(
  buckets: Array<{ upperBound: number; count: number }>,
  q: number,
): number | undefined {
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  let lowerBound = 0;
  for (const bucket of buckets) {
    if (seen + bucket.count >= rank && bucket.count > 0) {
      if (!Number.isFinite(bucket.upperBound)) return lowerBound;
      const lower = Math.min(lowerBound, bucket.upperBound);
      return (
        lower + (bucket.upperBound - lower) * ((rank - seen) / bucket.count)
      );
    }
    seen += bucket.count;
    if (Number.isFinite(bucket.upperBound)) lowerBound = bucket.upperBound;
  }
  return lowerBound;
}
