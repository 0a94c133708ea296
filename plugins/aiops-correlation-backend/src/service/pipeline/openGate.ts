import type { CorrelationStage } from './stage';
import { incidentDeactivated, pendingIncidents } from '../activeIncidents';
import { toIso } from '../time';
import { trackedAlertsOf } from '../incidents';
import { gateStatus, OPEN_GATE_RULE } from '../rules/openGate';
import { current } from './current';

/** Opens held groups whose group_wait, minimum count and duration are met. */
export const openGate: CorrelationStage = {
  name: 'open-gate',
  rule: OPEN_GATE_RULE,
  run(draft) {
    const alert = current(draft);
    for (const inc of pendingIncidents(draft.state)) {
      const tracked = trackedAlertsOf(inc, draft.state.alerts);
      if (tracked.every(t => t.status === 'resolved')) {
        // Over before it was worth an incident.
        for (const t of tracked) {
          draft.decisions.push({
            type: 'ignore',
            alertId: t.alert.id,
            reason: 'resolved-while-held',
            rule: OPEN_GATE_RULE,
          });
          delete draft.state.alerts[t.alert.id];
        }
        delete draft.state.incidents[inc.incident.id];
        incidentDeactivated(draft.state, inc);
        draft.touched.delete(inc.incident.id);
        continue;
      }
      const gate = gateStatus(
        inc,
        draft.state.alerts,
        inc.createdAt,
        draft.now,
        draft.context.config,
      );
      if (gate.open) {
        inc.phase = 'open';
        draft.opened.set(inc.incident.id, draft.now);
        draft.touched.add(inc.incident.id);
      } else if (
        alert &&
        alert.incidentId === inc.incident.id &&
        alert.status === 'firing'
      ) {
        draft.decisions.push({
          type: 'hold',
          alertId: alert.alert.id,
          incidentId: inc.incident.id,
          reason: gate.reason,
          until: gate.until !== undefined ? toIso(gate.until) : undefined,
        });
      }
    }
    return 'continue';
  },
};
