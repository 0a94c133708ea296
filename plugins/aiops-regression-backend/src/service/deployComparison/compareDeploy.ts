import { InputError } from '@backstage/errors';
import { finiteSeries, integerOption, numberOption } from '../validation';
import { holmAdjust } from './holm';
import { mannWhitneyU } from './mannWhitney';
import { welch } from './welch';

/** Which way a metric gets worse: latency and error rate up, throughput down. */
export type BadDirection = 'up' | 'down';

/** One metric's window before the deploy and window after it, aggregated points. */
export interface MetricWindows {
  metric: string;
  badDirection: BadDirection;
  before: readonly number[];
  after: readonly number[];
}

export interface DeployComparisonOptions {
  /** Family-wise error rate across the deploy's metrics; also sets the CI level (1 − alpha). */
  alpha?: number;
  /** Smallest |relative change of the mean| that counts, significant or not. */
  minRelativeEffect?: number;
  /** Fewest points each window must have. */
  minPoints?: number;
}

export const DEPLOY_COMPARISON_DEFAULTS = {
  alpha: 0.05,
  minRelativeEffect: 0.1,
  minPoints: 10,
} as const;

export const DEPLOY_COMPARISON_METHOD = 'welch-mann-whitney-holm@1';

export type Verdict = 'regression' | 'improvement' | 'no-change';

export interface MetricComparison {
  metric: string;
  badDirection: BadDirection;
  verdict: Verdict;
  /** Sign of the change of the mean. */
  direction: 'up' | 'down' | 'none';
  before: { mean: number; count: number };
  after: { mean: number; count: number };
  /** mean(after) − mean(before). */
  difference: number;
  /** Confidence interval for the difference at level 1 − alpha (per metric, not joint). */
  confidenceInterval: [number, number];
  /** difference / mean(before); null when the level before is 0. */
  relativeChange: number | null;
  welchPValue: number;
  mannWhitneyPValue: number;
  /** The larger of the two: both tests must agree (an intersection–union test). */
  pValue: number;
  /** pValue after Holm's adjustment across the deploy's metrics. */
  adjustedPValue: number;
}

export interface DeployComparison {
  method: string;
  alpha: number;
  metrics: MetricComparison[];
  /** The metrics whose verdict is regression. */
  regressions: string[];
}

function readMetrics(metrics: unknown, minPoints: number) {
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw new InputError('metrics must be a non-empty array');
  }
  const seen = new Set<string>();
  return metrics.map((m: Partial<MetricWindows>, i) => {
    const field = `metrics[${i}]`;
    if (typeof m?.metric !== 'string' || m.metric === '') {
      throw new InputError(`${field}.metric must be a non-empty string`);
    }
    if (seen.has(m.metric)) {
      throw new InputError(`${field}.metric ${m.metric} appears twice`);
    }
    seen.add(m.metric);
    if (m.badDirection !== 'up' && m.badDirection !== 'down') {
      throw new InputError(`${field}.badDirection must be "up" or "down"`);
    }
    return {
      metric: m.metric,
      badDirection: m.badDirection,
      before: finiteSeries(`${field}.before`, m.before, minPoints),
      after: finiteSeries(`${field}.after`, m.after, minPoints),
    };
  });
}

/**
 * Did this deploy change its service's metrics, and for the worse? For each metric, the window
 * after against the window before with two tests that fail differently: Welch's t (power for
 * a shift of the mean, gives the confidence interval) and Mann–Whitney U (robust to a few
 * spikes that drag a mean). A metric's p-value is the larger of the two, so one outlier cannot
 * make a regression on its own, nor can a heavy tail hide the shift from both.
 *
 * The p-values are then adjusted across the metrics with Holm's method. Holm rather than
 * Benjamini–Hochberg: a regression opens work for a person, so the guarantee wanted is "at
 * most alpha of clean deploys get any false regression" (family-wise error), not a false-
 * discovery proportion, which only pays off over many tests; with the five or six metrics of a
 * deploy, Holm loses little power, and it holds under any dependence between them.
 *
 * A metric is a regression when its adjusted p-value is at most alpha, its relative change is
 * at least minRelativeEffect (statistically real but tiny changes are not worth a page; a metric
 * whose level before is 0, such as an error rate, counts any change) and it moved in its bad
 * direction; an improvement under the same conditions the other way.
 */
export function compareDeploy(
  metrics: readonly MetricWindows[],
  options: DeployComparisonOptions = {},
): DeployComparison {
  const alpha = numberOption(
    'alpha',
    options.alpha,
    DEPLOY_COMPARISON_DEFAULTS.alpha,
    Number.MIN_VALUE,
    0.5,
  );
  const minRelativeEffect = numberOption(
    'minRelativeEffect',
    options.minRelativeEffect,
    DEPLOY_COMPARISON_DEFAULTS.minRelativeEffect,
    0,
    Number.MAX_VALUE,
  );
  // Welch needs two points a side for a variance; ten keeps the normal approximation of U honest
  const minPoints = integerOption(
    'minPoints',
    options.minPoints,
    DEPLOY_COMPARISON_DEFAULTS.minPoints,
    2,
    1_000_000,
  );
  const input = readMetrics(metrics, minPoints);
  const tested = input.map(m => {
    const w = welch(m.before, m.after, alpha);
    const u = mannWhitneyU(m.before, m.after);
    return { m, w, u, pValue: Math.max(w.pValue, u.pValue) };
  });
  const adjusted = holmAdjust(tested.map(t => t.pValue));
  const results: MetricComparison[] = tested.map(({ m, w, u, pValue }, i) => {
    const meanBefore = m.before.reduce((a, b) => a + b, 0) / m.before.length;
    const meanAfter = m.after.reduce((a, b) => a + b, 0) / m.after.length;
    const relativeChange = meanBefore === 0 ? null : w.difference / meanBefore;
    let direction: MetricComparison['direction'] = 'none';
    if (w.difference !== 0) direction = w.difference > 0 ? 'up' : 'down';
    const bigEnough =
      relativeChange === null
        ? w.difference !== 0
        : Math.abs(relativeChange) >= minRelativeEffect;
    let verdict: Verdict = 'no-change';
    if (adjusted[i] <= alpha && bigEnough && direction !== 'none') {
      verdict = direction === m.badDirection ? 'regression' : 'improvement';
    }
    return {
      metric: m.metric,
      badDirection: m.badDirection,
      verdict,
      direction,
      before: { mean: meanBefore, count: m.before.length },
      after: { mean: meanAfter, count: m.after.length },
      difference: w.difference,
      confidenceInterval: w.confidenceInterval,
      relativeChange,
      welchPValue: w.pValue,
      mannWhitneyPValue: u.pValue,
      pValue,
      adjustedPValue: adjusted[i],
    };
  });
  return {
    method: DEPLOY_COMPARISON_METHOD,
    alpha,
    metrics: results,
    regressions: results
      .filter(r => r.verdict === 'regression')
      .map(r => r.metric),
  };
}
