import type { RegressionCandidate } from '../database/RegressionStore';
import type { MetricDefinition } from '../metrics';
import {
  E_DIVISIVE_T,
  SEASONAL_DRIFT_METHOD,
  seasonalDrift,
} from '../service/changepoints';
import {
  compareDeploy,
  DEPLOY_COMPARISON_METHOD,
} from '../service/deployComparison';

/*
 * From series to regression candidates: pure functions over plain points, no store and no
 * provider, so each method's choices (which direction is bad, which deploy a change belongs to,
 * what counts as enough data) are tested on their own.
 */

export interface Point {
  /** Epoch ms. */
  at: number;
  value: number;
}

export interface DeployMarker {
  id: string;
  /** When the new version was live (finished, else started), epoch ms. */
  at: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Did the level move the way that makes this metric worse? */
function isWorse(metric: MetricDefinition, before: number, after: number) {
  return metric.badDirection === 'up' ? after > before : after < before;
}

export interface ChangePointOptions {
  maxPValue: number;
  windowLength: number;
  minSegment: number;
  /** A change point this soon after a deploy is attributed to it. */
  deployLinkMs: number;
}

/** Fewest points the change-point search runs on: two regimes of a window each. */
export const MIN_CHANGE_POINT_POINTS = 20;

/**
 * Change points (`e-divisive-t@1`) of one metric that made it worse by at least its minimum
 * relative change, each linked to the latest deploy shortly before it.
 */
export function changePointCandidates(
  entityRef: string,
  metric: MetricDefinition,
  points: readonly Point[],
  deployments: readonly DeployMarker[],
  options: ChangePointOptions,
): RegressionCandidate[] {
  if (points.length < MIN_CHANGE_POINT_POINTS) return [];
  const changePoints = E_DIVISIVE_T.detect(
    points.map(p => p.value),
    {
      maxPValue: options.maxPValue,
      windowLength: options.windowLength,
      minSegment: options.minSegment,
      minRelativeChange: metric.minRelativeChange,
    },
  );
  const bounds = [0, ...changePoints.map(c => c.index), points.length];
  return changePoints.flatMap((c, i) => {
    if (!isWorse(metric, c.before, c.after)) return [];
    const changeAt = points[c.index].at;
    const deploy = [...deployments]
      .filter(d => d.at <= changeAt && changeAt - d.at <= options.deployLinkMs)
      .sort((a, b) => b.at - a.at)[0];
    return [
      {
        entityRef,
        metric: metric.name,
        direction: c.after > c.before ? 'increase' : 'decrease',
        changeAt: iso(changeAt),
        before: { mean: c.before, n: bounds[i + 1] - bounds[i] },
        after: { mean: c.after, n: bounds[i + 2] - bounds[i + 1] },
        relativeChange: c.relativeChange,
        pValue: c.pValue,
        method: E_DIVISIVE_T.name,
        ...(deploy ? { deploymentId: deploy.id } : {}),
      },
    ];
  });
}

export interface DeployWindows {
  beforeMs: number;
  afterMs: number;
  alpha: number;
}

/**
 * The per-deploy comparison (`welch-mann-whitney-holm@1`) of one deploy over the metrics that
 * have enough points either side of it; the metrics that got worse. Empty when no metric has
 * enough points.
 */
export function deployCandidates(
  entityRef: string,
  deploy: DeployMarker,
  series: ReadonlyArray<{ metric: MetricDefinition; points: readonly Point[] }>,
  options: DeployWindows,
): RegressionCandidate[] {
  const minPoints = 10;
  const windows = series
    .map(({ metric, points }) => ({
      metric,
      before: points
        .filter(p => p.at >= deploy.at - options.beforeMs && p.at < deploy.at)
        .map(p => p.value),
      after: points
        .filter(p => p.at >= deploy.at && p.at < deploy.at + options.afterMs)
        .map(p => p.value),
    }))
    .filter(w => w.before.length >= minPoints && w.after.length >= minPoints);
  if (windows.length === 0) return [];
  const comparison = compareDeploy(
    windows.map(w => ({
      metric: w.metric.name,
      badDirection: w.metric.badDirection,
      before: w.before,
      after: w.after,
    })),
    { alpha: options.alpha, minPoints, minRelativeEffect: 0 },
  );
  return comparison.metrics.flatMap(m => {
    const metric = windows.find(w => w.metric.name === m.metric)!.metric;
    const large =
      m.relativeChange === null ||
      Math.abs(m.relativeChange) >= metric.minRelativeChange;
    if (m.verdict !== 'regression' || !large) return [];
    return [
      {
        entityRef,
        metric: m.metric,
        direction: m.direction === 'down' ? 'decrease' : 'increase',
        changeAt: iso(deploy.at),
        before: { mean: m.before.mean, n: m.before.count },
        after: { mean: m.after.mean, n: m.after.count },
        relativeChange: m.relativeChange,
        pValue: m.adjustedPValue,
        method: DEPLOY_COMPARISON_METHOD,
        deploymentId: deploy.id,
      },
    ];
  });
}

export interface DriftOptions {
  /** The grid: the series' first step and the step, epoch ms. */
  from: number;
  stepMs: number;
  /** Steps per season (a day) and in the recent window. */
  period: number;
  recent: number;
  seasons: number;
  /** Least share of grid steps with a point; gaps below that are carried forward. */
  minCoverage?: number;
}

/**
 * Drift of the recent window against the same window on previous days
 * (`seasonal-drift-welch@1`). The points go on a regular grid first (the comparison is by
 * position); a short gap takes the previous value, and a series with less than
 * `minCoverage` of its steps or less than a season of history gives nothing.
 */
export function driftCandidate(
  entityRef: string,
  metric: MetricDefinition,
  points: readonly Point[],
  options: DriftOptions,
): RegressionCandidate | undefined {
  const length = options.recent + options.period * options.seasons;
  const grid = new Array<number | undefined>(length).fill(undefined);
  let covered = 0;
  for (const p of points) {
    const i = Math.floor((p.at - options.from) / options.stepMs);
    if (i >= 0 && i < length && grid[i] === undefined) {
      grid[i] = p.value;
      covered++;
    }
  }
  const first = grid.findIndex(v => v !== undefined);
  if (first < 0 || length - first < options.recent + options.period)
    return undefined;
  if (covered / (length - first) < (options.minCoverage ?? 0.9))
    return undefined;
  const values: number[] = [];
  for (let i = first; i < length; i++) {
    values.push(grid[i] ?? values[values.length - 1]);
  }
  const drift = seasonalDrift(values, {
    period: options.period,
    recent: options.recent,
    seasons: options.seasons,
    minRelativeChange: metric.minRelativeChange,
  });
  if (
    drift.direction === 'none' ||
    !isWorse(metric, drift.baselineMean, drift.recentMean)
  )
    return undefined;
  return {
    entityRef,
    metric: metric.name,
    direction: drift.direction === 'up' ? 'increase' : 'decrease',
    changeAt: iso(options.from + (length - options.recent) * options.stepMs),
    before: {
      mean: drift.baselineMean,
      n: drift.baselineSeasons * options.recent,
    },
    after: { mean: drift.recentMean, n: options.recent },
    relativeChange: drift.relativeChange,
    pValue: drift.pValue,
    method: SEASONAL_DRIFT_METHOD,
  };
}

/** Fewest recent points that can say a metric is back. */
const MIN_RECOVERY_POINTS = 10;

/**
 * Is a regression's metric back to where it was? The points of the recent window (all after the
 * change) have a mean no longer worse than the level before by the metric's minimum relative
 * change (for a level of 0 before: back to 0). Too few points, or a window that starts before
 * the change, say nothing.
 */
export function recovered(
  regression: { changeAt: string; before: { mean: number } },
  metric: MetricDefinition,
  recent: readonly Point[],
  recentFrom: number,
): boolean {
  if (Date.parse(regression.changeAt) >= recentFrom) return false;
  const points = recent.filter(p => p.at >= recentFrom);
  if (points.length < MIN_RECOVERY_POINTS) return false;
  const mean = points.reduce((s, p) => s + p.value, 0) / points.length;
  const before = regression.before.mean;
  if (before === 0) return mean === 0;
  const worseBy =
    metric.badDirection === 'up' ? mean / before - 1 : 1 - mean / before;
  return worseBy < metric.minRelativeChange;
}
