import type { CorrelationStage } from './stage';
import { activeWithGroupKey } from '../activeIncidents';
import { findGroupIncident, GROUP_KEY_RULE } from '../rules/groupKey';
import type { Draft } from './stage';
import type { IncidentState, TrackedAlert } from '../types';
import { current } from './current';
import { join } from './join';

/** The active incident holding the alert's group key within the group window, if any. */
export function incidentWithGroupKey(
  draft: Draft,
  alert: TrackedAlert,
): IncidentState | undefined {
  return findGroupIncident(
    activeWithGroupKey(draft.state, alert.groupKey),
    draft.state.alerts,
    alert.groupKey,
    alert.onsetAt,
    draft.context.config.groupWindowMs,
  );
}

/** Same group key (same entity by default) within the group window: join that incident. */
export const groupByKey: CorrelationStage = {
  name: 'group-by-key',
  rule: GROUP_KEY_RULE,
  run(draft) {
    const alert = current(draft);
    if (!alert) return 'continue';
    const inc = incidentWithGroupKey(draft, alert);
    if (!inc) return 'continue';
    join(draft, alert, inc, GROUP_KEY_RULE, `same group key ${alert.groupKey}`);
    return 'stop';
  },
};
