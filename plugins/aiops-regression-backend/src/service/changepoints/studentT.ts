import ttest2 from '@stdlib/stats-ttest2';
import { probit } from 'simple-statistics';

/** Summary of a two-segment comparison, the statistics a change point carries. */
export interface SegmentComparison {
  meanBefore: number;
  meanAfter: number;
  stdBefore: number;
  stdAfter: number;
  /** Two-sided p-value of "both segments have the same mean". */
  pValue: number;
}

function sampleStd(x: Float64Array, m: number): number {
  if (x.length < 2) return 0;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - m) * (x[i] - m);
  return Math.sqrt(ss / (x.length - 1));
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/**
 * Student's two-sample t-test (pooled variance, two-sided), the significance test Otava uses
 * in place of E-Divisive's permutation test: deterministic and O(n) instead of hundreds of
 * re-runs of the O(n²) search. The p-value comes from @stdlib/stats-ttest2 with
 * `variance: 'equal'`.
 *
 * Degenerate inputs get the answer the data supports rather than NaN (which would compare
 * false against every threshold): fewer than three points in total or a segment of one point
 * is no evidence (p = 1, as Otava does for tiny segments); two constant segments are
 * certainly different if their values differ (p = 0) and not at all if they are equal (p = 1).
 *
 * Otava passes numpy's population standard deviation (ddof = 0) to scipy's
 * `ttest_ind_from_stats`, which expects the sample one; this uses the textbook test, which
 * gives slightly larger p-values on small segments.
 */
export function studentT(
  before: Float64Array,
  after: Float64Array,
): SegmentComparison {
  const meanBefore = mean(before);
  const meanAfter = mean(after);
  const stdBefore = sampleStd(before, meanBefore);
  const stdAfter = sampleStd(after, meanAfter);
  let pValue = 1;
  if (before.length >= 2 && after.length >= 2) {
    if (stdBefore === 0 && stdAfter === 0) {
      pValue = meanBefore === meanAfter ? 1 : 0;
    } else {
      const p = ttest2(before, after, { variance: 'equal' }).pValue;
      pValue = Number.isNaN(p) ? 1 : p;
    }
  }
  return { meanBefore, meanAfter, stdBefore, stdAfter, pValue };
}

/**
 * Relative change of the mean, after / before − 1; null when the level before is zero, where
 * no ratio is meaningful (Otava reports 0 there, which would read as "no change").
 */
export function relativeChange(before: number, after: number): number | null {
  if (before === 0) return null;
  return after / before - 1;
}

/**
 * Otava's change magnitude, the larger of the forward and backward relative changes, so a
 * halving and a doubling weigh the same; used to rank change points in the merge step.
 */
export function changeMagnitude(c: SegmentComparison): number {
  const forward = c.meanBefore === 0 ? 0 : c.meanAfter / c.meanBefore - 1;
  const backward = c.meanAfter === 0 ? 0 : c.meanBefore / c.meanAfter - 1;
  return Math.max(Math.abs(forward), Math.abs(backward));
}

/** Normal critical values by threshold; a scan asks for the same one hundreds of times. */
const criticalZ = new Map<number, number>();

/**
 * False only when Student's t cannot reach `maxPValue`: a t-distribution has heavier tails
 * than the normal, so |t| below the normal's critical value means p > maxPValue at any
 * degrees of freedom. Most windows of a scan stop at their first candidate; this answers
 * them from running sums without computing a t-distribution tail (the stdlib call also
 * computes a confidence interval through the inverse incomplete beta function). The margin
 * of 0.1 % covers the approximation in simple-statistics' probit.
 */
export function mayBeSignificant(
  before: Float64Array,
  after: Float64Array,
  maxPValue: number,
): boolean {
  const n1 = before.length;
  const n2 = after.length;
  if (n1 < 2 || n2 < 2 || maxPValue <= 0) return true;
  let z = criticalZ.get(maxPValue);
  if (z === undefined) {
    z = probit(1 - maxPValue / 2) * 0.999;
    criticalZ.set(maxPValue, z);
  }
  let s1 = 0;
  let q1 = 0;
  for (let i = 0; i < n1; i++) {
    s1 += before[i];
    q1 += before[i] * before[i];
  }
  let s2 = 0;
  let q2 = 0;
  for (let i = 0; i < n2; i++) {
    s2 += after[i];
    q2 += after[i] * after[i];
  }
  const m1 = s1 / n1;
  const m2 = s2 / n2;
  const ss = Math.max(0, q1 - n1 * m1 * m1) + Math.max(0, q2 - n2 * m2 * m2);
  const pooled = ss / (n1 + n2 - 2);
  // sums of squares lose precision on a large level; let the exact test decide near zero
  if (!(pooled > 1e-9 * (m1 * m1 + m2 * m2))) return true;
  const t = Math.abs(m1 - m2) / Math.sqrt(pooled * (1 / n1 + 1 / n2));
  return t >= z;
}
