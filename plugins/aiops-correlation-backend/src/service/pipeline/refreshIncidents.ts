import type { CorrelationStage, Draft } from './stage';
import { activeIncidents } from '../activeIncidents';
import { severityRank } from '@aiops/plugin-aiops-common';
import type { IncidentState } from '../types';
import { refreshIncident } from '../incidents';
import { ROOT_CAUSE_RULE } from '../rootCause';

/**
 * Re-derives every incident the event (or batch) touched, in a stable order; returns their
 * ids. With `minIntervalMs`, an open incident re-derived less than that long ago (event time)
 * waits, marked due, unless an alert more severe than the incident joined it: a storm's large
 * incidents are then re-ranked a few times a second at most instead of with every batch, while
 * membership, openings and severity raises are not delayed (title, ranking, findings and the
 * muting of new symptoms wait up to the interval). Due incidents are re-derived by the first
 * batch (or tick) after their interval, or when they resolve.
 */
export function refreshTouched(draft: Draft, minIntervalMs = 0): string[] {
  const ids = new Set(draft.touched);
  if (minIntervalMs > 0) {
    for (const inc of activeIncidents(draft.state)) {
      if (inc.refreshDue) ids.add(inc.incident.id);
    }
  }
  const refreshed: string[] = [];
  for (const id of [...ids].sort()) {
    const inc = draft.state.incidents[id];
    if (!inc) continue;
    const openedAt = draft.opened.get(id);
    if (openedAt === undefined && mayWait(inc, draft, minIntervalMs)) {
      inc.refreshDue = true;
      continue;
    }
    refreshIncident(draft, inc, openedAt);
    inc.refreshedAt = draft.now;
    delete inc.refreshDue;
    refreshed.push(id);
  }
  return refreshed;
}

/** An open incident re-derived less than `minIntervalMs` ago whose severity cannot rise. */
function mayWait(inc: IncidentState, draft: Draft, minIntervalMs: number) {
  if (inc.phase !== 'open' || inc.incident.status === 'resolved') return false;
  if (inc.refreshedAt === undefined) return false;
  // An event time before the last refresh (a sender's clock ahead) never holds one back.
  const age = draft.now - inc.refreshedAt;
  return age >= 0 && age < minIntervalMs && !hasMoreSevereAlert(inc, draft);
}

/** Severity is derived from every alert of the incident, resolved ones included. */
function hasMoreSevereAlert(inc: IncidentState, draft: Draft) {
  const rank = severityRank(inc.incident.severity);
  return inc.incident.alertIds.some(id => {
    const alert = draft.state.alerts[id];
    return alert !== undefined && severityRank(alert.alert.severity) < rank;
  });
}

/** Re-derives root causes, inhibition and findings of every incident this event changed. */
export const refreshIncidents: CorrelationStage = {
  name: 'refresh-incidents',
  rule: ROOT_CAUSE_RULE,
  run(draft) {
    if (draft.deferRefresh) return 'continue';
    refreshTouched(draft);
    return 'continue';
  },
};
