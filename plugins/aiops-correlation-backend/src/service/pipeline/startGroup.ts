import type { CorrelationStage } from './stage';
import { incidentActivated, openUnownedCount } from '../activeIncidents';
import {
  overflowGroupKey,
  overflows,
  UNOWNED_OVERFLOW_RULE,
} from '../rules/unownedOverflow';
import { createGroup } from '../incidents';
import { GROUP_KEY_RULE } from '../rules/groupKey';
import { incidentWithGroupKey } from './groupByKey';
import { current } from './current';
import { join } from './join';
import { ruleVersions } from './ruleVersions';

/** Nothing to join: the alert starts a new group, held until the gate opens it. */
export const startGroup: CorrelationStage = {
  name: 'start-group',
  rule: GROUP_KEY_RULE,
  run(draft) {
    const alert = current(draft);
    if (!alert) return 'continue';
    if (
      overflows(
        alert,
        openUnownedCount(draft.state),
        draft.context.config.unowned.maxOpenIncidents,
      )
    ) {
      alert.groupKey = overflowGroupKey(alert);
      const overflow = incidentWithGroupKey(draft, alert);
      if (overflow) {
        join(
          draft,
          alert,
          overflow,
          UNOWNED_OVERFLOW_RULE,
          `${draft.context.config.unowned.maxOpenIncidents} unowned incidents are open: grouped with the other unowned alerts of ${alert.alert.source}`,
        );
        return 'stop';
      }
    }
    const inc = createGroup(alert, GROUP_KEY_RULE, draft.now, ruleVersions);
    // Idempotent on the correlation key: a replayed alert finds its group again.
    const existing = draft.state.incidents[inc.incident.id];
    if (existing) {
      join(
        draft,
        alert,
        existing,
        GROUP_KEY_RULE,
        `same group key ${alert.groupKey}`,
      );
      return 'stop';
    }
    alert.incidentId = inc.incident.id;
    alert.joinedBy = {
      rule: GROUP_KEY_RULE,
      reason: `first alert of group ${alert.groupKey}`,
    };
    draft.grouped = inc.incident.id;
    draft.state.incidents[inc.incident.id] = inc;
    incidentActivated(draft.state, inc);
    draft.touched.add(inc.incident.id);
    return 'stop';
  },
};
