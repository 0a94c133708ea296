import type { Bucket } from './accumulators';
import { ExpiringLruMap } from './ExpiringLruMap';

/** The running totals of a cumulative histogram or summary since its start time. */
export interface HistogramTotals {
  count: number;
  /** Absent when the sender leaves it out (histograms that record negative values). */
  sum?: number;
  buckets: Bucket[];
}

export interface CumulativeToDeltaOptions {
  /** How long a series' last totals are kept without a newer point. Default: 10 minutes. */
  ttlMs?: number;
  /** At most this many series are remembered; the least recently updated go first. Default: 100,000. */
  maxSeries?: number;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
}

interface LastPoint<T> {
  time: bigint;
  totals: T;
}

/**
 * Turns cumulative totals into increases. The rollup store adds up per-minute increases, so a
 * counter sent as "total since start" must be differenced against the previous point of the
 * same series. State is in memory: after a restart, or on a replica that has not seen a series
 * before, the first point only sets the baseline and yields nothing.
 *
 * A series is identified by the caller (resource, metric, point attributes and start time), so
 * a process restart, which changes the start time, begins a new series.
 */
export class CumulativeToDelta {
  private readonly lastPoints: ExpiringLruMap<
    LastPoint<number | HistogramTotals>
  >;

  constructor(options: CumulativeToDeltaOptions = {}) {
    this.lastPoints = new ExpiringLruMap({
      ttlMs: options.ttlMs ?? 10 * 60_000,
      maxEntries: options.maxSeries ?? 100_000,
      now: options.now ?? Date.now,
    });
  }

  /** Number of series currently remembered. */
  get size(): number {
    return this.lastPoints.size;
  }

  /**
   * The increase of a monotonic sum since the previous point of `series`; undefined for a
   * baseline (first point, or a total that went down: a reset) and for a point that is not
   * newer than the last one seen (a retried or reordered export).
   */
  sumDelta(series: string, time: bigint, total: number): number | undefined {
    return this.advance(`sum\n${series}`, time, total, (current, previous) =>
      current >= previous ? current - previous : undefined,
    );
  }

  /** As `sumDelta`, for the count, sum and buckets of a histogram or summary. */
  histogramDelta(
    series: string,
    time: bigint,
    totals: HistogramTotals,
  ): HistogramTotals | undefined {
    return this.advance(
      `histogram\n${series}`,
      time,
      totals,
      subtractHistogram,
    );
  }

  private advance<T extends number | HistogramTotals>(
    key: string,
    time: bigint,
    totals: T,
    subtract: (current: T, previous: T) => T | undefined,
  ): T | undefined {
    // The key's prefix is chosen by the public method, so a key always holds one type.
    const previous = this.lastPoints.get(key) as LastPoint<T> | undefined;
    if (previous && time <= previous.time) return undefined;
    this.lastPoints.set(key, { time, totals });
    return previous ? subtract(totals, previous.totals) : undefined;
  }
}

/**
 * Bucket-wise difference. Buckets are matched by upper bound so that an exponential histogram
 * whose range grew (new buckets at either end) still differences; a bucket that shrank or
 * disappeared means the histogram was reset or re-bucketed, and the point becomes a baseline.
 */
function subtractHistogram(
  current: HistogramTotals,
  previous: HistogramTotals,
): HistogramTotals | undefined {
  if (current.count < previous.count) return undefined;
  const previousCounts = new Map(
    previous.buckets.map(b => [b.upperBound, b.count]),
  );
  const buckets: Bucket[] = [];
  for (const { upperBound, count } of current.buckets) {
    const before = previousCounts.get(upperBound) ?? 0;
    if (count < before) return undefined;
    previousCounts.delete(upperBound);
    buckets.push({ upperBound, count: count - before });
  }
  for (const leftover of previousCounts.values()) {
    if (leftover > 0) return undefined;
  }
  const sum =
    current.sum !== undefined && previous.sum !== undefined
      ? current.sum - previous.sum
      : undefined;
  return { count: current.count - previous.count, sum, buckets };
}
