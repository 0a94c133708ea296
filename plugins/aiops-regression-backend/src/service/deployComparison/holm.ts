/**
 * Holm's step-down adjustment: sort the p-values, multiply the i-th smallest (from 0) by
 * (m − i), carry the running maximum so the order is kept, cap at 1. Rejecting where the
 * adjusted value is ≤ α controls the family-wise error rate at α under any dependence
 * between the metrics (p95 and p99 latency are far from independent). Returned in input order.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
