import type { AiopsRegressionApi } from '@aiops/plugin-aiops-common';

type Regression = AiopsRegressionApi.Regression;

/** `+42%`, `−8.5%`; the means when the level before was 0 and no ratio exists. */
export function formatChange(regression: Regression): string {
  const { relativeChange, before, after } = regression;
  if (relativeChange === null) {
    return `${formatNumber(before.mean)} → ${formatNumber(after.mean)}`;
  }
  const percent = relativeChange * 100;
  const digits = Math.abs(percent) < 10 ? 1 : 0;
  const sign = percent >= 0 ? '+' : '−';
  return `${sign}${Math.abs(percent).toFixed(digits)}%`;
}

/** `p = 0.0012`, `p < 0.0001`: small p-values read as a bound, not a wall of zeros. */
export function formatPValue(p: number): string {
  if (p < 0.0001) return 'p < 0.0001';
  return `p = ${Number(p.toPrecision(2))}`;
}

function formatNumber(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/** The series window around a change: `hours` before it, and after it up to now. */
export function seriesWindow(
  changeAt: string,
  hours: number,
  now = Date.now(),
): { from: string; to: string } {
  const change = Date.parse(changeAt);
  const span = hours * 60 * 60 * 1000;
  return {
    from: new Date(change - span).toISOString(),
    to: new Date(Math.min(now, change + span)).toISOString(),
  };
}
