/**
 * The search half of E-Divisive (Matteson & James 2014) with α = 1, as Apache Otava computes
 * it: for a segment Z[a..b) find the split τ and the end κ (a < τ < κ ≤ b) maximising the
 * scaled energy distance between X = Z[a..τ) and Y = Z[τ..κ):
 *
 *   Q(τ, κ) = 2/(n+m) · Σ|Xi − Yj|  −  2m/((n+m)(n−1)) · Σ_{i<k}|Xi − Xk|
 *                                   −  2n/((n+m)(m−1)) · Σ_{j<k}|Yj − Yk|
 *
 * with n = τ − a, m = κ − τ: "how far apart are the two pieces compared with how spread out
 * each is". Letting κ stop short of b is Otava's point (docs/MATH.md): a later regime in the
 * tail would otherwise blur the contrast.
 *
 * All three sums are differences of one table: W(i, j) = Σ_{i≤p<q<j} |Zp − Zq|, the within-sum
 * of a block. The cross sum is W(a, κ) − W(a, τ) − W(τ, κ). W is filled in O(L²) by the
 * recurrence W(i, j) = W(i+1, j) + Σ_{i<q<j} |Zi − Zq| (a running row sum), which is the same
 * bookkeeping as Otava's V/H recurrences; afterwards every Q is O(1), so one search over a
 * segment of length L is O(L²) in flat typed arrays, and searches of sub-segments reuse the
 * table.
 */
export class WithinSums {
  /** W(i, j) at i * stride + j, for 0 ≤ i ≤ j ≤ length (the upper triangle). */
  private readonly table: Float64Array;
  private readonly stride: number;

  /**
   * `scratch`, if given, is reused for the table when it is large enough (at least
   * (length + 1)² doubles): a scan builds one table per window, and allocating each one
   * made garbage collection a sixth of the run time.
   */
  constructor(readonly values: Float64Array, scratch?: Float64Array) {
    const n = values.length;
    this.stride = n + 1;
    const size = this.stride * this.stride;
    this.table =
      scratch && scratch.length >= size ? scratch : new Float64Array(size);
    const w = this.table;
    const s = this.stride;
    // only the diagonal is read before it is written
    for (let i = 0; i <= n; i++) w[i * s + i] = 0;
    for (let i = n - 1; i >= 0; i--) {
      const zi = values[i];
      let row = 0;
      const base = i * s;
      const below = (i + 1) * s;
      for (let j = i + 1; j <= n; j++) {
        w[base + j] = w[below + j] + row;
        if (j < n) row += Math.abs(zi - values[j]);
      }
    }
  }

  /** Σ |Zp − Zq| over i ≤ p < q < j. */
  within(i: number, j: number): number {
    return this.table[i * this.stride + j];
  }
}

/** The best split of a segment and its Q value. */
export interface Candidate {
  index: number;
  q: number;
}

/**
 * The τ maximising Q(τ, κ) over a ≤ τ − minSegment, τ + minSegment ≤ κ ≤ b, or null when the
 * segment is too short to split into two pieces of minSegment points. The minimum piece keeps
 * one outlier from being "a regime" (with n = 1 the within-X term vanishes and a lone spike
 * scores high). Ties go to the smallest τ, then the smallest κ, so results are deterministic.
 */
export function bestSplit(
  sums: WithinSums,
  a: number,
  b: number,
  minSegment: number,
): Candidate | null {
  if (b - a < 2 * minSegment) return null;
  let bestIndex = -1;
  let bestQ = -Infinity;
  for (let tau = a + minSegment; tau <= b - minSegment; tau++) {
    const n = tau - a;
    const wx = sums.within(a, tau);
    // the within-X term's coefficient without the m factor and 1/(n+m)
    const xCoef = n > 1 ? (2 * wx) / (n - 1) : 0;
    for (let kappa = tau + minSegment; kappa <= b; kappa++) {
      const m = kappa - tau;
      const wy = sums.within(tau, kappa);
      const cross = sums.within(a, kappa) - wx - wy;
      const yCoef = m > 1 ? (2 * n * wy) / (m - 1) : 0;
      const q = (2 * cross - m * xCoef - yCoef) / (n + m);
      if (q > bestQ) {
        bestQ = q;
        bestIndex = tau;
      }
    }
  }
  return { index: bestIndex, q: bestQ };
}
