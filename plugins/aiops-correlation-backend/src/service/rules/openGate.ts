import type {
  CorrelationConfig,
  HoldReason,
  IncidentState,
  TrackedAlert,
} from '../types';

export const OPEN_GATE_RULE = 'open-gate@1';

export type GateStatus =
  | { open: true }
  | { open: false; reason: HoldReason; until?: number };

/**
 * Whether a held group may open its incident at `nowMs`: its group_wait has passed (counted
 * from when the group was created, as in Alertmanager), it has `minAlerts` firing alerts and
 * its first alert has fired for `minDurationMs` (counted from `startsAt`, like Prometheus
 * `for`). With the defaults (0, 1, 0) every group opens at once.
 */
export function gateStatus(
  group: IncidentState,
  alerts: Record<string, TrackedAlert>,
  createdAt: number,
  nowMs: number,
  config: Pick<
    CorrelationConfig,
    'groupWaitMs' | 'minAlerts' | 'minDurationMs'
  >,
): GateStatus {
  if (nowMs < createdAt + config.groupWaitMs) {
    return {
      open: false,
      reason: 'group-wait',
      until: createdAt + config.groupWaitMs,
    };
  }
  const firing = group.incident.alertIds
    .map(id => alerts[id])
    .filter(a => a?.status === 'firing');
  if (firing.length < config.minAlerts)
    return { open: false, reason: 'min-alerts' };
  const firstOnset = Math.min(...firing.map(a => a.onsetAt));
  if (nowMs < firstOnset + config.minDurationMs) {
    return {
      open: false,
      reason: 'min-duration',
      until: firstOnset + config.minDurationMs,
    };
  }
  return { open: true };
}
