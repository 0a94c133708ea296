import { InputError } from '@backstage/errors';
import type { RollupInput } from '../inputs';
import { type Json, requireObject, requireString } from '../validation';
import {
  type Bucket,
  type RollupStats,
  RollupAccumulator,
  singleObservation,
  sortBuckets,
} from './accumulators';
import {
  flattenAttributes,
  isSet,
  labelsKey,
  minuteOf,
  nanosToEpochMillis,
  optionalArray,
  optionalBoolean,
  optionalCount,
  optionalDouble,
  optionalEnum,
  optionalInt64,
  optionalObject,
  optionalUnixNanos,
  requireDouble,
  requireUnixNanos,
} from './attributes';
import type { CumulativeToDelta, HistogramTotals } from './CumulativeToDelta';
import { type OtlpResource, forEachItem } from './envelope';

const AGGREGATION_TEMPORALITY_CUMULATIVE = 2;
const DATA_POINT_FLAGS_NO_RECORDED_VALUE = 1n;

/**
 * Exponential histograms are downscaled to at most this scale (8 buckets per doubling, about
 * 4% relative error) so that points from SDKs at different scales share bucket bounds, and the
 * stored bucket count stays small.
 */
export const MAX_EXPONENTIAL_SCALE = 3;

const DATA_KINDS = [
  'gauge',
  'sum',
  'histogram',
  'exponentialHistogram',
  'summary',
] as const;
type DataKind = (typeof DATA_KINDS)[number];

/** A histogram-like point: its totals, and its exact min/max when the sender has them. */
interface Distribution {
  totals: HistogramTotals;
  min?: number;
  max?: number;
}

/** A cumulative point, kept until the whole request is read so series are differenced in time order. */
interface CumulativePoint {
  resource: OtlpResource;
  metric: string;
  minute: number;
  time: bigint;
  toDelta: (cumulative: CumulativeToDelta) => RollupStats | undefined;
}

/**
 * Rolls an OTLP/HTTP JSON metrics request up to one aggregate per (resource labels, metric
 * name, minute). Point attributes are not part of the rollup key: the rollup is per service.
 *
 * - gauge, non-monotonic sum: count, sum, min and max of the point values.
 * - monotonic sum: the same over the increases (delta temporality as sent, cumulative through
 *   `cumulative`).
 * - histogram, exponential histogram: observation count, sum, min, max and buckets.
 * - summary: observation count and sum; quantiles other than 0 and 1 (min and max) are dropped.
 */
export function parseOtlpMetrics(
  body: unknown,
  cumulative: CumulativeToDelta,
): RollupInput[] {
  const rollups = new RollupAccumulator();
  const cumulativePoints: CumulativePoint[] = [];

  forEachItem(
    body,
    { resources: 'resourceMetrics', scopes: 'scopeMetrics', items: 'metrics' },
    (item, path, resource) => {
      const metric = requireObject(item, path);
      const name = requireString(metric.name, `${path}.name`);
      const kind = DATA_KINDS.find(k => isSet(metric[k]));
      // A data type newer than this receiver: ignored like any unknown field.
      if (!kind) return;
      const dataPath = `${path}.${kind}`;
      const data = requireObject(metric[kind], dataPath);
      const isCumulative =
        kind === 'summary' ||
        optionalEnum(
          data.aggregationTemporality,
          `${dataPath}.aggregationTemporality`,
        ) === AGGREGATION_TEMPORALITY_CUMULATIVE;
      const isMonotonicSum =
        kind === 'sum' &&
        optionalBoolean(data.isMonotonic, `${dataPath}.isMonotonic`);

      optionalArray(data.dataPoints, `${dataPath}.dataPoints`).forEach(
        (entry, i) => {
          const pointPath = `${dataPath}.dataPoints[${i}]`;
          const point = requireObject(entry, pointPath);
          const time = requireUnixNanos(
            point.timeUnixNano,
            `${pointPath}.timeUnixNano`,
          );
          const flags =
            optionalInt64(point.flags, `${pointPath}.flags`, {
              signed: false,
            }) ?? 0n;
          // A staleness marker: the series ended, there is nothing to add.
          if (flags & DATA_POINT_FLAGS_NO_RECORDED_VALUE) return;
          const minute = minuteOf(nanosToEpochMillis(time));
          const add = (stats: RollupStats | undefined) => {
            if (stats) rollups.add(resource, name, minute, stats);
          };
          const series = () => seriesIdentity(resource, name, point, pointPath);
          const defer = (toDelta: CumulativePoint['toDelta']) =>
            cumulativePoints.push({
              resource,
              metric: name,
              minute,
              time,
              toDelta,
            });

          if (kind === 'gauge' || kind === 'sum') {
            const value = numberValue(point, pointPath);
            if (value === undefined) return;
            if (isMonotonicSum && isCumulative) {
              const key = series();
              defer(c => {
                const increase = c.sumDelta(key, time, value);
                return increase === undefined
                  ? undefined
                  : singleObservation(increase);
              });
            } else {
              // Delta sums are increases already; non-monotonic sums (up-down counters) are
              // levels, like gauges, whatever their temporality.
              add(singleObservation(value));
            }
            return;
          }

          const distribution = readDistribution(kind, point, pointPath);
          if (isCumulative) {
            const key = series();
            defer(c => {
              const increase = c.histogramDelta(key, time, distribution.totals);
              if (!increase) return undefined;
              // A summary's 0 and 1 quantiles cover a recent window, close to the increase's own
              // range. A histogram's min/max cover the series' whole life: they only bound the
              // increase's range, which is estimated from its buckets.
              return kind === 'summary'
                ? distributionStats(increase, distribution, {})
                : distributionStats(increase, {}, distribution);
            });
          } else {
            add(distributionStats(distribution.totals, distribution, {}));
          }
        },
      );
    },
  );

  cumulativePoints.sort((a, b) => Number(a.time - b.time));
  for (const point of cumulativePoints) {
    const stats = point.toDelta(cumulative);
    if (stats) rollups.add(point.resource, point.metric, point.minute, stats);
  }
  return rollups.toRollups();
}

function seriesIdentity(
  resource: OtlpResource,
  metric: string,
  point: Record<string, Json>,
  pointPath: string,
): string {
  const attributes = labelsKey(
    flattenAttributes(point.attributes, `${pointPath}.attributes`),
  );
  const start =
    optionalUnixNanos(
      point.startTimeUnixNano,
      `${pointPath}.startTimeUnixNano`,
    ) ?? 0n;
  return `${resource.key}\n${metric}\n${attributes}\n${start}`;
}

/**
 * Values beyond this are treated like NaN/±Infinity: rollups are summed in SQL, and PostgreSQL
 * raises an error on a double overflow (-1e308 + -1e308 answered 500, found by fuzzing). No
 * real measurement comes near it, and 1e8 sums of it still fit a double.
 */
const MAX_MAGNITUDE = 1e300;

const storable = (number: number) =>
  Number.isFinite(number) && Math.abs(number) <= MAX_MAGNITUDE;

/** `asDouble` or `asInt`; undefined when neither is set or the value is NaN/±Infinity/huge. */
function numberValue(
  point: Record<string, Json>,
  path: string,
): number | undefined {
  const value = isSet(point.asDouble)
    ? optionalDouble(point.asDouble, `${path}.asDouble`)
    : optionalInt64(point.asInt, `${path}.asInt`, { signed: true });
  if (value === undefined) return undefined;
  const number = Number(value);
  return storable(number) ? number : undefined;
}

function finiteDouble(value: Json, path: string): number | undefined {
  const number = optionalDouble(value, path);
  return number !== undefined && storable(number) ? number : undefined;
}

function readDistribution(
  kind: Exclude<DataKind, 'gauge' | 'sum'>,
  point: Record<string, Json>,
  path: string,
): Distribution {
  const count = optionalCount(point.count, `${path}.count`);
  const sum = finiteDouble(point.sum, `${path}.sum`);
  const min = finiteDouble(point.min, `${path}.min`);
  const max = finiteDouble(point.max, `${path}.max`);
  if (kind === 'histogram') {
    return {
      totals: { count, sum, buckets: explicitBuckets(point, path) },
      min,
      max,
    };
  }
  if (kind === 'exponentialHistogram') {
    return {
      totals: { count, sum, buckets: exponentialBuckets(point, path) },
      min,
      max,
    };
  }
  return { totals: { count, sum, buckets: [] }, ...summaryRange(point, path) };
}

function explicitBuckets(point: Record<string, Json>, path: string): Bucket[] {
  const counts = optionalArray(point.bucketCounts, `${path}.bucketCounts`).map(
    (count, i) => optionalCount(count, `${path}.bucketCounts[${i}]`),
  );
  const bounds = optionalArray(
    point.explicitBounds,
    `${path}.explicitBounds`,
  ).map((bound, i) => requireDouble(bound, `${path}.explicitBounds[${i}]`));
  if (counts.length === 0) return [];
  if (counts.length !== bounds.length + 1) {
    throw new InputError(
      `${path}.bucketCounts must have one entry more than explicitBounds (${
        bounds.length + 1
      }), got ${counts.length}`,
    );
  }
  return counts.map((count, i) => ({
    upperBound: i < bounds.length ? bounds[i] : Infinity,
    count,
  }));
}

/**
 * Converts base-2 exponential buckets to upper bounds. At scale s the base is 2^(2^-s);
 * positive bucket i holds (base^i, base^(i+1)], negative bucket i holds [-base^(i+1), -base^i),
 * and the zero bucket holds [-zeroThreshold, zeroThreshold]. An empty `Infinity` bucket closes
 * the list, as for explicit histograms.
 */
function exponentialBuckets(
  point: Record<string, Json>,
  path: string,
): Bucket[] {
  const scale = Number(
    optionalInt64(point.scale, `${path}.scale`, { signed: true }) ?? 0n,
  );
  if (scale < -10 || scale > 20) {
    throw new InputError(
      `${path}.scale must be between -10 and 20, got ${scale}`,
    );
  }
  const targetScale = Math.min(scale, MAX_EXPONENTIAL_SCALE);
  const indicesPerTargetBucket = 2 ** (scale - targetScale);
  const targetIndex = (index: number) =>
    Math.floor(index / indicesPerTargetBucket);
  const power = (index: number) => 2 ** (index / 2 ** targetScale);

  const countsByBound = new Map<number, number>();
  const add = (upperBound: number, count: number) =>
    countsByBound.set(upperBound, (countsByBound.get(upperBound) ?? 0) + count);

  add(
    Math.abs(finiteDouble(point.zeroThreshold, `${path}.zeroThreshold`) ?? 0),
    optionalCount(point.zeroCount, `${path}.zeroCount`),
  );
  readExponentialRange(point.positive, `${path}.positive`, (index, count) =>
    add(power(targetIndex(index) + 1), count),
  );
  readExponentialRange(point.negative, `${path}.negative`, (index, count) =>
    add(-power(targetIndex(index)), count),
  );
  if (!countsByBound.has(Infinity)) add(Infinity, 0);
  return sortBuckets(countsByBound);
}

function readExponentialRange(
  value: Json,
  path: string,
  visit: (index: number, count: number) => void,
): void {
  const range = optionalObject(value, path);
  const offset = Number(
    optionalInt64(range.offset, `${path}.offset`, { signed: true }) ?? 0n,
  );
  optionalArray(range.bucketCounts, `${path}.bucketCounts`).forEach(
    (count, i) =>
      visit(offset + i, optionalCount(count, `${path}.bucketCounts[${i}]`)),
  );
}

/** OTLP records a summary's min and max as its 0 and 1 quantiles. */
function summaryRange(
  point: Record<string, Json>,
  path: string,
): { min?: number; max?: number } {
  const range: { min?: number; max?: number } = {};
  optionalArray(point.quantileValues, `${path}.quantileValues`).forEach(
    (entry, i) => {
      const quantilePath = `${path}.quantileValues[${i}]`;
      const quantile = requireObject(entry, quantilePath);
      const q =
        optionalDouble(quantile.quantile, `${quantilePath}.quantile`) ?? 0;
      const value = finiteDouble(quantile.value, `${quantilePath}.value`);
      if (q === 0) range.min = value;
      if (q === 1) range.max = value;
    },
  );
  return range;
}

/**
 * Rollup stats of a histogram-like point. Where the sender gives no min/max, or only lifetime
 * ones (`limits`), they are estimated from the bounds of the lowest and highest non-empty
 * bucket, narrowed by `limits`; a missing sum is estimated from bucket midpoints.
 */
function distributionStats(
  totals: HistogramTotals,
  exact: { min?: number; max?: number },
  limits: { min?: number; max?: number },
): RollupStats | undefined {
  if (totals.count <= 0) return undefined;
  const estimate = estimateFromBuckets(totals.buckets, limits);
  const sum = totals.sum ?? estimate?.sum ?? 0;
  const mean = sum / totals.count;
  return {
    count: totals.count,
    sum,
    min: exact.min ?? estimate?.min ?? mean,
    max: exact.max ?? estimate?.max ?? mean,
    buckets: totals.buckets.length > 0 ? totals.buckets : undefined,
  };
}

function estimateFromBuckets(
  buckets: Bucket[],
  limits: { min?: number; max?: number },
): { min: number; max: number; sum: number } | undefined {
  let min: number | undefined;
  let max: number | undefined;
  let sum = 0;
  let lowerBound = -Infinity;
  for (const { upperBound, count } of buckets) {
    if (count > 0) {
      const low = Math.max(lowerBound, limits.min ?? -Infinity);
      const high = Math.min(upperBound, limits.max ?? Infinity);
      // An open-ended bucket is represented by its one finite bound.
      const lowEstimate = Number.isFinite(low) ? low : high;
      const highEstimate = Number.isFinite(high) ? high : low;
      if (Number.isFinite(lowEstimate) && Number.isFinite(highEstimate)) {
        min ??= lowEstimate;
        max = highEstimate;
        sum += count * ((lowEstimate + highEstimate) / 2);
      }
    }
    lowerBound = upperBound;
  }
  return min === undefined || max === undefined ? undefined : { min, max, sum };
}
