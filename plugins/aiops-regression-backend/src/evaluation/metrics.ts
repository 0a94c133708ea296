/**
 * TCPDBench's metrics (van den Burg & Williams 2020, analysis/scripts/metrics.py), ported
 * line for line so our numbers compare with the benchmark's. Annotations map an annotator to
 * the change-point indices they marked; indices are 0-based and, as in TCPDBench, index 0 is
 * added to every annotator's set and to the predictions (the start of the series always
 * "changes"), which is why a method that predicts nothing still scores above 0.
 */
export type Annotations = Record<string, readonly number[]>;

/**
 * The annotated points some prediction lies within `margin` of, each prediction used at most
 * once, the closest (then the smallest) first. TCPDBench iterates a Python set, whose order
 * for small non-negative ints is ascending; this iterates in ascending order.
 */
export function truePositives(
  annotated: Iterable<number>,
  predicted: Iterable<number>,
  margin = 5,
): Set<number> {
  const remaining = new Set(predicted);
  const tp = new Set<number>();
  for (const tau of [...new Set(annotated)].sort((a, b) => a - b)) {
    let best: number | undefined;
    for (const x of remaining) {
      const d = Math.abs(tau - x);
      if (d > margin) continue;
      if (
        best === undefined ||
        d < Math.abs(tau - best) ||
        (d === Math.abs(tau - best) && x < best)
      ) {
        best = x;
      }
    }
    if (best === undefined) continue;
    tp.add(tau);
    remaining.delete(best);
  }
  return tp;
}

/** F-measure with TCPDBench's precision and recall over several annotators. */
export interface FMeasure {
  f: number;
  precision: number;
  recall: number;
}

/**
 * Precision counts a prediction as right if it is near any annotator's point (the union);
 * recall is the mean over annotators of the share of their points found. alpha 0.5 is F1.
 */
export function fMeasure(
  annotations: Annotations,
  predictions: Iterable<number>,
  margin = 5,
  alpha = 0.5,
): FMeasure {
  const perAnnotator = Object.values(annotations).map(
    cps => new Set([...cps, 0]),
  );
  const x = new Set([...predictions, 0]);
  const union = new Set<number>();
  for (const tk of perAnnotator) for (const tau of tk) union.add(tau);
  const k = perAnnotator.length;
  const precision = truePositives(union, x, margin).size / x.size;
  let recall = 0;
  for (const tk of perAnnotator) {
    recall += truePositives(tk, x, margin).size / tk.size;
  }
  recall /= k;
  const f = (precision * recall) / (alpha * recall + (1 - alpha) * precision);
  return { f, precision, recall };
}

/**
 * The segments [start, end) of 0..nObs−1 cut at the given points, as TCPDBench's
 * partition_from_cps: duplicates and points at 0 or at/after nObs change nothing.
 */
export function partitionFromCps(
  locations: Iterable<number>,
  nObs: number,
): Array<[number, number]> {
  const cuts = [...new Set(locations)]
    .filter(c => c > 0 && c < nObs)
    .sort((a, b) => a - b);
  const bounds = [0, ...cuts, nObs];
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < bounds.length; i++)
    out.push([bounds[i], bounds[i + 1]]);
  return out;
}

/** Jaccard index of two integer ranges [a0, a1) and [b0, b1). */
function overlap(a: [number, number], b: [number, number]): number {
  const inter = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  return inter / (a[1] - a[0] + (b[1] - b[0]) - inter);
}

/**
 * Covering of segmentation `s` by `sPrime` (Arbeláez et al. 2010, eq. 8): each segment of s
 * weighted by its length times its best Jaccard overlap with a segment of sPrime.
 */
export function coverSingle(
  sPrime: Array<[number, number]>,
  s: Array<[number, number]>,
): number {
  const total = s.reduce((sum, r) => sum + (r[1] - r[0]), 0);
  let c = 0;
  for (const r of s) {
    let best = 0;
    for (const rp of sPrime) best = Math.max(best, overlap(r, rp));
    c += (r[1] - r[0]) * best;
  }
  return c / total;
}

/** Mean over annotators of how well the predicted segmentation covers theirs. */
export function covering(
  annotations: Annotations,
  predictions: Iterable<number>,
  nObs: number,
): number {
  const predicted = partitionFromCps(predictions, nObs);
  const covers = Object.values(annotations).map(cps =>
    coverSingle(predicted, partitionFromCps(cps, nObs)),
  );
  return covers.reduce((a, b) => a + b, 0) / covers.length;
}
