import { InputError } from '@backstage/errors';
import { welch } from '../deployComparison/welch';
import { finiteSeries, integerOption, numberOption } from '../validation';

export interface SeasonalDriftOptions {
  /** Points per season: 1440 for a day of one-minute points. */
  period: number;
  /** Points in the recent window compared, the last ones of the series. */
  recent: number;
  /** How many previous seasons make the baseline (default 7: a week of days). */
  seasons?: number;
  /** Drift needs a p-value at most this (default 0.001, the change-point threshold). */
  maxPValue?: number;
  /** ... and a relative change of the mean at least this (default 0.1). */
  minRelativeChange?: number;
}

export interface SeasonalDrift {
  /** 'none' unless every condition for drift holds. */
  direction: 'up' | 'down' | 'none';
  recentMean: number;
  baselineMean: number;
  /** recentMean / baselineMean − 1; null when the baseline is 0. */
  relativeChange: number | null;
  /** Welch's two-sided p-value, recent points against the baseline points. */
  pValue: number;
  /** Previous seasons that were available (at most `seasons`). */
  baselineSeasons: number;
  /** The recent mean is above (or below) the same window's mean in every baseline season. */
  outsideEverySeason: boolean;
}

export const SEASONAL_DRIFT_METHOD = 'seasonal-drift-welch@1';

/**
 * Slow drift against a same-hour baseline: the last `recent` points against the same
 * positions one, two, … `seasons` periods earlier. Comparing with the same hour of previous
 * days is what keeps the daily cycle (a quiet night, a busy noon) from reading as drift, which
 * is what defeats a plain change-point search on seasonal metrics.
 *
 * Drift needs three things: Welch's test on the points (the windows' variances differ between
 * a quiet and a busy season, hence Welch), a relative change of at least minRelativeChange,
 * and the recent mean outside the range of every baseline season's mean for the same window.
 * The last is there because consecutive points are autocorrelated, so the t-test alone
 * overstates the evidence, while day-to-day variation at the same hour is the real noise: a
 * mean beyond all seven previous days happens by chance with probability 2/8 at most when the
 * days are exchangeable, and the t-test and the effect size carry the rest.
 */
export function seasonalDrift(
  values: ArrayLike<number>,
  options: SeasonalDriftOptions,
): SeasonalDrift {
  for (const field of ['period', 'recent'] as const) {
    if (options?.[field] === undefined) {
      throw new InputError(`${field} is required`);
    }
  }
  const period = integerOption('period', options.period, NaN, 2, 1_000_000);
  const recent = integerOption('recent', options.recent, NaN, 2, period);
  const seasons = integerOption('seasons', options.seasons, 7, 1, 366);
  const maxPValue = numberOption('maxPValue', options.maxPValue, 0.001, 0, 1);
  const minRelativeChange = numberOption(
    'minRelativeChange',
    options.minRelativeChange,
    0.1,
    0,
    Number.MAX_VALUE,
  );
  const series = finiteSeries(
    'values',
    values instanceof Float64Array ? values : Array.from(values),
    0,
  );
  const n = series.length;
  if (n < recent + period) {
    throw new InputError(
      `values has ${n} points; a seasonal baseline needs at least recent + period = ${
        recent + period
      }`,
    );
  }
  const available = Math.min(seasons, Math.floor((n - recent) / period));
  const recentPoints = series.subarray(n - recent);
  const baseline = new Float64Array(available * recent);
  const seasonMeans: number[] = [];
  for (let k = 1; k <= available; k++) {
    const from = n - recent - k * period;
    const slice = series.subarray(from, from + recent);
    baseline.set(slice, (k - 1) * recent);
    seasonMeans.push(slice.reduce((a, b) => a + b, 0) / recent);
  }
  const w = welch(baseline, recentPoints, 0.05);
  const baselineMean = baseline.reduce((a, b) => a + b, 0) / baseline.length;
  const recentMean = baselineMean + w.difference;
  const relativeChange =
    baselineMean === 0 ? null : w.difference / baselineMean;
  const up = seasonMeans.every(m => recentMean > m);
  const down = seasonMeans.every(m => recentMean < m);
  const bigEnough =
    relativeChange === null
      ? w.difference !== 0
      : Math.abs(relativeChange) >= minRelativeChange;
  let direction: SeasonalDrift['direction'] = 'none';
  if (w.pValue <= maxPValue && bigEnough && (up || down)) {
    direction = up ? 'up' : 'down';
  }
  return {
    direction,
    recentMean,
    baselineMean,
    relativeChange,
    pValue: w.pValue,
    baselineSeasons: available,
    outsideEverySeason: up || down,
  };
}
