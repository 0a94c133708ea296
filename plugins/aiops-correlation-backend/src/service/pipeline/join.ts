import type { Draft } from './stage';
import { entityAdded, groupKeyAdded } from '../activeIncidents';
import type { IncidentState, TrackedAlert } from '../types';

export function join(
  draft: Draft,
  alert: TrackedAlert,
  inc: IncidentState,
  rule: string,
  reason: string,
) {
  alert.incidentId = inc.incident.id;
  alert.joinedBy = { rule, reason };
  draft.grouped = inc.incident.id;
  inc.incident = {
    ...inc.incident,
    alertIds: [...inc.incident.alertIds, alert.alert.id],
  };
  if (!inc.groupKeys.includes(alert.groupKey)) {
    inc.groupKeys = [...inc.groupKeys, alert.groupKey].sort();
    groupKeyAdded(draft.state, inc, alert.groupKey);
  }
  entityAdded(draft.state, inc, alert.entityRef);
  inc.onsetAt = Math.min(inc.onsetAt, alert.onsetAt);
  inc.lastActivityAt = Math.max(inc.lastActivityAt, alert.onsetAt, draft.now);
  draft.touched.add(inc.incident.id);
  // An incident opening in this batch is announced whole, with this alert, when refreshed.
  if (inc.phase === 'open' && !draft.opened.has(inc.incident.id)) {
    draft.decisions.push({
      type: 'attach-alert',
      incidentId: inc.incident.id,
      alertId: alert.alert.id,
      rule,
      reason,
    });
  }
}
