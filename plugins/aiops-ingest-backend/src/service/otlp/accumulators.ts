import type { ExemplarInput, RollupInput } from '../inputs';
import { truncate } from './attributes';
import type { OtlpResource } from './envelope';

/** Exemplars kept per resource and request, for logs and for spans. */
export const EXEMPLARS_PER_RESOURCE = 20;
export const EXEMPLAR_MESSAGE_MAX_LENGTH = 1_000;

export type Bucket = { upperBound: number; count: number };

/** What one data point, span or record adds to a rollup. */
export type RollupStats = Pick<
  RollupInput,
  'count' | 'sum' | 'min' | 'max' | 'buckets'
>;

export function singleObservation(value: number): RollupStats {
  return { count: 1, sum: value, min: value, max: value };
}

/**
 * Merges everything a request says about one (resource, metric, minute) into a single rollup,
 * so the store upserts each key once. Buckets are merged by upper bound.
 */
export class RollupAccumulator {
  private readonly entries = new Map<
    string,
    { rollup: RollupInput; buckets?: Map<number, number> }
  >();

  add(
    resource: OtlpResource,
    metric: string,
    minute: number,
    stats: RollupStats,
  ): void {
    const key = `${resource.key}\n${metric}\n${minute}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        rollup: {
          labels: resource.labels,
          metric,
          minute,
          count: 0,
          sum: 0,
          min: stats.min,
          max: stats.max,
        },
      };
      this.entries.set(key, entry);
    }
    const { rollup } = entry;
    rollup.count += stats.count;
    rollup.sum += stats.sum;
    rollup.min = Math.min(rollup.min, stats.min);
    rollup.max = Math.max(rollup.max, stats.max);
    if (stats.buckets) {
      const buckets = (entry.buckets ??= new Map());
      for (const { upperBound, count } of stats.buckets) {
        buckets.set(upperBound, (buckets.get(upperBound) ?? 0) + count);
      }
    }
  }

  toRollups(): RollupInput[] {
    return [...this.entries.values()].map(({ rollup, buckets }) =>
      buckets ? { ...rollup, buckets: sortBuckets(buckets) } : rollup,
    );
  }
}

export function sortBuckets(countsByBound: Map<number, number>): Bucket[] {
  return [...countsByBound.entries()]
    .sort(([a], [b]) => a - b)
    .map(([upperBound, count]) => ({ upperBound, count }));
}

/**
 * Keeps the first `EXEMPLARS_PER_RESOURCE` exemplars of each resource in a request: enough to
 * link a few examples from a spike without storing every failing record.
 */
export class ExemplarSampler {
  readonly exemplars: ExemplarInput[] = [];
  private readonly takenByResource = new Map<string, number>();

  /** `describe` is only called for exemplars that are kept. */
  offer(
    resource: OtlpResource,
    describe: () => Omit<ExemplarInput, 'labels'>,
  ): void {
    const taken = this.takenByResource.get(resource.key) ?? 0;
    if (taken >= EXEMPLARS_PER_RESOURCE) return;
    this.takenByResource.set(resource.key, taken + 1);
    const exemplar = describe();
    this.exemplars.push({
      labels: resource.labels,
      ...exemplar,
      message: truncate(exemplar.message, EXEMPLAR_MESSAGE_MAX_LENGTH),
    });
  }
}
