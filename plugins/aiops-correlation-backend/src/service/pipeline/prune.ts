import type { CorrelationStage } from './stage';
import { activeIncidents } from '../activeIncidents';
import { toMs } from '../time';
import { DEPLOY_LINKED_RULE } from '../rules/deployLinked';

const PRUNE_INTERVAL_MS = 60_000;

/**
 * Forgets deployments too old to be linked to any open incident or a new alert, and resolved
 * alerts that belong to no incident (silenced ones).
 */
export const prune: CorrelationStage = {
  name: 'prune',
  rule: DEPLOY_LINKED_RULE,
  run(draft) {
    // Scanning everything on every event is what a storm cannot afford; what is kept a little
    // longer changes no decision (reopening checks the flap window itself, linking its window).
    if (draft.now - (draft.state.prunedAt ?? -Infinity) < PRUNE_INTERVAL_MS)
      return 'continue';
    draft.state.prunedAt = draft.now;
    for (const [id, alert] of Object.entries(draft.state.alerts)) {
      if (alert.status === 'resolved' && !alert.incidentId)
        delete draft.state.alerts[id];
    }
    // A resolved incident is kept for one flap window, so a flapping alert can reopen it.
    for (const inc of Object.values(draft.state.incidents)) {
      const resolvedAt = inc.incident.resolvedAt;
      if (
        !resolvedAt ||
        toMs(resolvedAt) > draft.now - draft.context.config.flap.windowMs
      )
        continue;
      for (const id of inc.incident.alertIds) delete draft.state.alerts[id];
      delete draft.state.incidents[inc.incident.id];
    }
    const oldestOnset = Math.min(
      draft.now,
      ...activeIncidents(draft.state).map(i => i.onsetAt),
    );
    const horizon =
      oldestOnset -
      draft.context.config.deployWindowMs -
      draft.context.config.groupWindowMs;
    draft.state.deployments = draft.state.deployments.filter(
      d => toMs(d.startedAt) >= horizon,
    );
    if (draft.state.regressions) {
      draft.state.regressions = draft.state.regressions.filter(
        r => toMs(r.changePointAt) >= horizon,
      );
    }
    return 'continue';
  },
};
