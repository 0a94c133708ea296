import { InputError } from '@backstage/errors';
import { finiteSeries, integerOption, numberOption } from '../validation';
import { bestSplit, Candidate, WithinSums } from './energyDistance';
import {
  changeMagnitude,
  mayBeSignificant,
  relativeChange,
  SegmentComparison,
  studentT,
} from './studentT';
import { ChangePoint, ChangePointMethod, ChangePointOptions } from './types';

/** E-Divisive options: the common ones plus Otava's sliding window. */
export interface EDivisiveOptions extends ChangePointOptions {
  /** Points per sliding window of the split step (Otava's window_len). */
  windowLength?: number;
}

/**
 * Defaults. maxPValue and windowLength are Otava's (series.py: max_pvalue 0.001,
 * window_len 50); minRelativeChange 0 is Otava's min_magnitude. minSegment 5 is ours: Otava
 * lets a regime be one point long, which makes every lone spike two "change points"; on
 * per-minute metrics a level that lasts under five minutes is a blip, not a regression.
 */
export const E_DIVISIVE_DEFAULTS = {
  maxPValue: 0.001,
  windowLength: 50,
  minSegment: 5,
  minRelativeChange: 0,
  maxChangePoints: Number.MAX_SAFE_INTEGER,
} as const;

/** The longest series one call analyses; the memory for a window is windowLength² doubles. */
export const MAX_SERIES_LENGTH = 1_000_000;

interface Weak {
  index: number;
  stats: SegmentComparison;
}

/**
 * Otava's ChangePointDetector on one window: split the window at the best candidate of any of
 * its current pieces (the one with the largest Q), keep the split if Student's t says the two
 * sides of that piece differ at `maxPValue`, stop at the first split that does not. Returns
 * absolute indices, sorted.
 */
function detectInWindow(
  series: Float64Array,
  start: number,
  end: number,
  maxPValue: number,
  minSegment: number,
  scratch: Float64Array,
): number[] {
  const window = series.subarray(start, end);
  const sums = new WithinSums(window, scratch);
  const cuts = [0, window.length];
  // the best split of each piece (undefined: not searched yet); a piece's candidate never
  // changes, so only the two new pieces of a split are searched again
  const candidates: Array<Candidate | null | undefined> = [undefined];
  for (;;) {
    let best = -1;
    for (let k = 0; k < candidates.length; k++) {
      if (candidates[k] === undefined) {
        candidates[k] = bestSplit(sums, cuts[k], cuts[k + 1], minSegment);
      }
      const c = candidates[k];
      if (c && (best < 0 || c.q > candidates[best]!.q)) best = k;
    }
    if (best < 0) break;
    const at = candidates[best]!.index;
    const left = window.subarray(cuts[best], at);
    const right = window.subarray(at, cuts[best + 1]);
    if (!mayBeSignificant(left, right, maxPValue)) break;
    if (studentT(left, right).pValue > maxPValue) break;
    cuts.splice(best + 1, 0, at);
    candidates.splice(best, 1, undefined, undefined);
  }
  return cuts.slice(1, -1).map(i => i + start);
}

function compareAt(
  series: Float64Array,
  points: Weak[],
  k: number,
): SegmentComparison {
  const from = k === 0 ? 0 : points[k - 1].index;
  const to = k === points.length - 1 ? series.length : points[k + 1].index;
  const at = points[k].index;
  return studentT(series.subarray(from, at), series.subarray(at, to));
}

/**
 * Otava's split step: run the window detector over overlapping windows (a step of half a
 * window, restarting at the last change found) with a relaxed threshold, and keep the union of
 * what they find, the "weak" change points. Windows are what lets E-Divisive see a short
 * regime inside a long series (Fleming et al. 2023, §4).
 */
function split(
  series: Float64Array,
  windowLength: number,
  weakPValue: number,
  minSegment: number,
): Weak[] {
  const found = new Set<number>();
  const scratch = new Float64Array((windowLength + 1) * (windowLength + 1));
  const step = Math.max(1, Math.floor(windowLength / 2));
  let start = 0;
  while (start < series.length) {
    const end = Math.min(start + windowLength, series.length);
    const points = detectInWindow(
      series,
      start,
      end,
      weakPValue,
      minSegment,
      scratch,
    );
    for (const p of points) found.add(p);
    const last = points.length > 0 ? points[points.length - 1] : 0;
    start = Math.max(last, start + step);
  }
  const indices = [...found].sort((x, y) => x - y);
  const weak: Weak[] = indices.map(index => ({
    index,
    stats: undefined as unknown as SegmentComparison,
  }));
  for (let k = 0; k < weak.length; k++) {
    weak[k].stats = compareAt(series, weak, k);
  }
  return weak;
}

/**
 * Otava's merge step: while some change point is not significant against its neighbours'
 * segments, drop the one with the largest p-value; then drop ones below the minimum magnitude,
 * smallest first; then, beyond maxChangePoints, the least significant. Each removal re-tests
 * both neighbours, whose segments just grew. (Otava re-tests the next two points instead of
 * the previous and the next, which leaves the previous one's statistics stale; this re-tests
 * the two whose segments changed.)
 */
function merge(
  series: Float64Array,
  points: Weak[],
  maxPValue: number,
  minRelativeChange: number,
  maxChangePoints: number,
): Weak[] {
  const cps = points.slice();
  while (cps.length > 0) {
    let drop = 0;
    for (let k = 1; k < cps.length; k++) {
      if (cps[k].stats.pValue > cps[drop].stats.pValue) drop = k;
    }
    if (cps[drop].stats.pValue < maxPValue) {
      let smallest = 0;
      for (let k = 1; k < cps.length; k++) {
        if (
          changeMagnitude(cps[k].stats) < changeMagnitude(cps[smallest].stats)
        )
          smallest = k;
      }
      if (changeMagnitude(cps[smallest].stats) > minRelativeChange) {
        if (cps.length <= maxChangePoints) return cps;
      } else {
        drop = smallest;
      }
    }
    cps.splice(drop, 1);
    for (const k of [drop - 1, drop]) {
      if (k >= 0 && k < cps.length) cps[k].stats = compareAt(series, cps, k);
    }
  }
  return cps;
}

/** Otava's first-pass threshold: ten times looser below 0.05, so weak points survive to merge. */
function weakThreshold(maxPValue: number): number {
  if (maxPValue < 0.05) return maxPValue * 10;
  return maxPValue < 0.5 ? maxPValue * 2 : maxPValue;
}

/**
 * E-Divisive means with Student's t-test in place of the permutation test, as Apache Otava
 * (formerly Hunter) does it: split with sliding windows at a relaxed threshold, then merge
 * until every change point is significant at `maxPValue` against its neighbouring segments.
 * Throws an InputError naming the option or the point for bad input.
 */
export function eDivisiveT(
  values: ArrayLike<number>,
  options: EDivisiveOptions = {},
): ChangePoint[] {
  const maxPValue = numberOption(
    'maxPValue',
    options.maxPValue,
    E_DIVISIVE_DEFAULTS.maxPValue,
    0,
    1,
  );
  const windowLength = integerOption(
    'windowLength',
    options.windowLength,
    E_DIVISIVE_DEFAULTS.windowLength,
    4,
    5000,
  );
  // a segment of one point has no variance for the t-test
  const minSegment = integerOption(
    'minSegment',
    options.minSegment,
    E_DIVISIVE_DEFAULTS.minSegment,
    2,
    Math.floor(windowLength / 2),
  );
  const minRelativeChange = numberOption(
    'minRelativeChange',
    options.minRelativeChange,
    E_DIVISIVE_DEFAULTS.minRelativeChange,
    0,
    Number.MAX_VALUE,
  );
  const maxChangePoints = integerOption(
    'maxChangePoints',
    options.maxChangePoints,
    E_DIVISIVE_DEFAULTS.maxChangePoints,
    0,
    Number.MAX_SAFE_INTEGER,
  );
  const series = finiteSeries(
    'values',
    values instanceof Float64Array ? values : Array.from(values),
    0,
  );
  if (series.length > MAX_SERIES_LENGTH) {
    throw new InputError(
      `values has ${series.length} points; at most ${MAX_SERIES_LENGTH} are analysed at once`,
    );
  }
  const weak = split(
    series,
    windowLength,
    weakThreshold(maxPValue),
    minSegment,
  );
  return merge(series, weak, maxPValue, minRelativeChange, maxChangePoints).map(
    ({ index, stats }) => ({
      index,
      before: stats.meanBefore,
      after: stats.meanAfter,
      relativeChange: relativeChange(stats.meanBefore, stats.meanAfter),
      pValue: stats.pValue,
    }),
  );
}

/** The method as a pluggable ChangePointMethod, named with its version. */
export const E_DIVISIVE_T: ChangePointMethod<EDivisiveOptions> = {
  name: 'e-divisive-t@1',
  detect: eDivisiveT,
};
