import ttest2 from '@stdlib/stats-ttest2';

export interface WelchResult {
  /** mean(after) − mean(before). */
  difference: number;
  pValue: number;
  /** Confidence interval for the difference at level 1 − alpha. */
  confidenceInterval: [number, number];
}

/**
 * Welch's t-test of after against before (unequal variances: a deploy that changes a
 * metric's level often changes its spread too), with the confidence interval for the
 * difference of means, both from @stdlib/stats-ttest2. Two constant windows, where the
 * t statistic is 0/0 or ±∞, get the answer the data gives: the difference is exact.
 */
export function welch(
  before: Float64Array,
  after: Float64Array,
  alpha: number,
): WelchResult {
  let sb = 0;
  let sa = 0;
  for (let i = 0; i < before.length; i++) sb += before[i];
  for (let i = 0; i < after.length; i++) sa += after[i];
  const difference = sa / after.length - sb / before.length;
  const constant = (x: Float64Array) => x.every(v => v === x[0]);
  if (constant(before) && constant(after)) {
    return {
      difference,
      pValue: difference === 0 ? 1 : 0,
      confidenceInterval: [difference, difference],
    };
  }
  const r = ttest2(after, before, { alpha });
  return {
    difference,
    pValue: r.pValue,
    confidenceInterval: [r.ci[0], r.ci[1]],
  };
}
