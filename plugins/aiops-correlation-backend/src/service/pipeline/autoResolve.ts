import { touchNow, type CorrelationStage } from './stage';
import { activeIncidents, incidentDeactivated } from '../activeIncidents';
import { toIso } from '../time';
import { trackedAlertsOf } from '../incidents';
import { AUTO_RESOLVE_RULE, readyToResolve } from '../rules/autoResolve';

/**
 * Resolves incidents whose alerts all resolved a quiet period ago and do not flap. Time passing
 * is what resolves them, so a tick looks at every active incident and any other event only at
 * those it touched: with thousands open, an alert must not cost a look at each (a quiet
 * incident then resolves with the next tick, at most a tick interval later).
 */
export const autoResolve: CorrelationStage = {
  name: 'auto-resolve',
  rule: AUTO_RESOLVE_RULE,
  run(draft) {
    const candidates =
      draft.event.type === 'tick'
        ? [...activeIncidents(draft.state)]
        : [...draft.touched].flatMap(id => {
            const inc = draft.state.incidents[id];
            return inc && inc.incident.status !== 'resolved' ? [inc] : [];
          });
    for (const inc of candidates) {
      // Not before it has been announced (a batch announces its openings at its end).
      if (inc.phase !== 'open' || draft.opened.has(inc.incident.id)) continue;
      // Most incidents still have a firing alert: find out without collecting them all.
      if (
        inc.incident.alertIds.some(
          id => draft.state.alerts[id]?.status === 'firing',
        )
      )
        continue;
      const tracked = trackedAlertsOf(inc, draft.state.alerts);
      if (!readyToResolve(tracked, draft.now, draft.context.config)) continue;
      const at = toIso(draft.now);
      inc.incident = {
        ...inc.incident,
        status: 'resolved',
        resolvedAt: at,
        updatedAt: at,
      };
      incidentDeactivated(draft.state, inc);
      if (inc.refreshDue) touchNow(draft, inc);
      draft.decisions.push({
        type: 'resolve-incident',
        incidentId: inc.incident.id,
        at,
        rule: AUTO_RESOLVE_RULE,
      });
    }
    return 'continue';
  },
};
