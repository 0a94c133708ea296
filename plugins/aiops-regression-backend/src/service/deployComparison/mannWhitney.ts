import { errorFunction, wilcoxonRankSum } from 'simple-statistics';

export interface MannWhitneyResult {
  /** U of the `after` sample: how many (after, before) pairs have after above before. */
  u: number;
  z: number;
  /** Two-sided p-value, normal approximation with tie and continuity corrections. */
  pValue: number;
}

/** Upper tail of the standard normal, from simple-statistics' error function. */
function normalUpperTail(z: number): number {
  return 0.5 * (1 - errorFunction(z / Math.SQRT2));
}

/**
 * Mann–Whitney U for "after is shifted against before", robust to the spikes and skew of
 * latency data where a t-test is not. The rank sum (with average ranks for ties) is
 * simple-statistics' wilcoxonRankSum; the p-value is the normal approximation with the tie
 * correction of the variance and a continuity correction of ½, as scipy's
 * `mannwhitneyu(method='asymptotic')` computes it. The windows compared here have tens to
 * thousands of points, where the approximation is good; no exact small-sample table.
 */
export function mannWhitneyU(
  before: ArrayLike<number>,
  after: ArrayLike<number>,
): MannWhitneyResult {
  const x = Array.from(after);
  const y = Array.from(before);
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const u = wilcoxonRankSum(x, y) - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;

  // Σ (t³ − t) over groups of tied values in the pooled sample
  const pooled = x.concat(y).sort((a, b) => a - b);
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && pooled[j] === pooled[i]) j++;
    const t = j - i;
    ties += t * t * t - t;
    i = j;
  }
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const z = (Math.abs(u - mu) - 0.5) / Math.sqrt(variance);
  const pValue = Math.min(1, 2 * normalUpperTail(z));
  return { u, z: Math.sign(u - mu) * Math.max(0, z), pValue };
}
