import type { CorrelationConfig, TrackedAlert } from '../types';
import { isFlapping } from './flapping';

export const AUTO_RESOLVE_RULE = 'auto-resolve@1';

/**
 * An incident resolves itself when every alert in it has resolved, the last one at least a
 * quiet period ago, and none of them is flapping (a flapping alert would reopen it at once).
 */
export function readyToResolve(
  alerts: TrackedAlert[],
  nowMs: number,
  config: Pick<CorrelationConfig, 'quietPeriodMs' | 'flap'>,
): boolean {
  if (alerts.length === 0) return true;
  if (alerts.some(a => a.status === 'firing')) return false;
  const lastResolved = Math.max(...alerts.map(a => a.resolvedAt ?? 0));
  if (nowMs < lastResolved + config.quietPeriodMs) return false;
  return !alerts.some(a => isFlapping(a.transitions, nowMs, config.flap));
}
