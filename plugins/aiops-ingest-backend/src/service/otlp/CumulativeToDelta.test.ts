import { CumulativeToDelta, type HistogramTotals } from './CumulativeToDelta';

describe('CumulativeToDelta', () => {
  let now: number;
  const create = (options: { ttlMs?: number; maxSeries?: number } = {}) =>
    new CumulativeToDelta({ ...options, now: () => now });

  beforeEach(() => {
    now = 0;
  });

  describe('sums', () => {
    it('uses the first point as a baseline and yields increases after it', () => {
      const deltas = create();
      expect(deltas.sumDelta('s', 1n, 100)).toBeUndefined();
      expect(deltas.sumDelta('s', 2n, 130)).toBe(30);
      expect(deltas.sumDelta('s', 3n, 130)).toBe(0);
      expect(deltas.sumDelta('s', 4n, 145.5)).toBe(15.5);
    });

    it('keeps series apart', () => {
      const deltas = create();
      deltas.sumDelta('a', 1n, 100);
      deltas.sumDelta('b', 1n, 5);
      expect(deltas.sumDelta('a', 2n, 110)).toBe(10);
      expect(deltas.sumDelta('b', 2n, 6)).toBe(1);
    });

    it('restarts the baseline when the total goes down', () => {
      const deltas = create();
      deltas.sumDelta('s', 1n, 100);
      expect(deltas.sumDelta('s', 2n, 20)).toBeUndefined();
      expect(deltas.sumDelta('s', 3n, 25)).toBe(5);
    });

    it('ignores points that are not newer than the last one, without moving the baseline', () => {
      const deltas = create();
      deltas.sumDelta('s', 10n, 100);
      expect(deltas.sumDelta('s', 10n, 100)).toBeUndefined();
      expect(deltas.sumDelta('s', 5n, 90)).toBeUndefined();
      expect(deltas.sumDelta('s', 11n, 104)).toBe(4);
    });

    it('forgets a series after the TTL, so its next point is a baseline again', () => {
      const deltas = create({ ttlMs: 60_000 });
      deltas.sumDelta('s', 1n, 100);
      now = 59_999;
      expect(deltas.sumDelta('s', 2n, 110)).toBe(10);
      now = 59_999 + 60_000;
      expect(deltas.sumDelta('s', 3n, 120)).toBeUndefined();
      expect(deltas.sumDelta('s', 4n, 121)).toBe(1);
    });

    it('caps the number of series, forgetting the least recently updated', () => {
      const deltas = create({ maxSeries: 2 });
      deltas.sumDelta('a', 1n, 1);
      deltas.sumDelta('b', 1n, 1);
      deltas.sumDelta('a', 2n, 2);
      deltas.sumDelta('c', 1n, 1);
      expect(deltas.size).toBe(2);
      expect(deltas.sumDelta('a', 3n, 3)).toBe(1);
      expect(deltas.sumDelta('b', 2n, 2)).toBeUndefined();
    });
  });

  describe('histograms', () => {
    const totals = (
      count: number,
      sum: number | undefined,
      counts: number[],
      bounds: number[],
    ) => ({
      count,
      sum,
      buckets: counts.map((c, i) => ({
        upperBound: bounds[i] ?? Infinity,
        count: c,
      })),
    });

    it('differences count, sum and each bucket', () => {
      const deltas = create();
      expect(
        deltas.histogramDelta('h', 1n, totals(10, 5, [3, 4, 3], [1, 2])),
      ).toBeUndefined();
      expect(
        deltas.histogramDelta('h', 2n, totals(16, 9.5, [4, 8, 4], [1, 2])),
      ).toEqual(totals(6, 4.5, [1, 4, 1], [1, 2]));
    });

    it('leaves the sum out when the sender does', () => {
      const deltas = create();
      deltas.histogramDelta('h', 1n, totals(1, undefined, [1, 0], [1]));
      expect(
        deltas.histogramDelta('h', 2n, totals(3, undefined, [2, 1], [1]))?.sum,
      ).toBeUndefined();
    });

    it('matches buckets by bound when the range grows', () => {
      const deltas = create();
      const before: HistogramTotals = {
        count: 2,
        sum: 3,
        buckets: [
          { upperBound: 2, count: 2 },
          { upperBound: Infinity, count: 0 },
        ],
      };
      const after: HistogramTotals = {
        count: 5,
        sum: 10,
        buckets: [
          { upperBound: 1, count: 1 },
          { upperBound: 2, count: 3 },
          { upperBound: 4, count: 1 },
          { upperBound: Infinity, count: 0 },
        ],
      };
      deltas.histogramDelta('h', 1n, before);
      expect(deltas.histogramDelta('h', 2n, after)).toEqual({
        count: 3,
        sum: 7,
        buckets: [
          { upperBound: 1, count: 1 },
          { upperBound: 2, count: 1 },
          { upperBound: 4, count: 1 },
          { upperBound: Infinity, count: 0 },
        ],
      });
    });

    it.each([
      ['the count went down', totals(5, 5, [2, 2, 1], [1, 2])],
      ['a bucket went down', totals(12, 6, [2, 6, 4], [1, 2])],
      ['a non-empty bucket disappeared', totals(12, 6, [7, 5], [2])],
    ])('restarts the baseline when %s', (_, reset) => {
      const deltas = create();
      deltas.histogramDelta('h', 1n, totals(10, 5, [3, 4, 3], [1, 2]));
      expect(deltas.histogramDelta('h', 2n, reset)).toBeUndefined();
      const next = { ...reset, count: reset.count + 1 };
      expect(deltas.histogramDelta('h', 3n, next)?.count).toBe(1);
    });

    it('keeps sums and histograms of the same series key apart', () => {
      const deltas = create();
      deltas.sumDelta('x', 1n, 10);
      deltas.histogramDelta('x', 1n, totals(1, 1, [1], []));
      expect(deltas.sumDelta('x', 2n, 12)).toBe(2);
      expect(deltas.histogramDelta('x', 2n, totals(2, 2, [2], []))?.count).toBe(
        1,
      );
    });
  });
});
