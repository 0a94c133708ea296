import type { CorrelationStage } from './stage';
import {
  ALREADY_RESOLVED_RULE,
  arrivedResolved,
} from '../rules/alreadyResolved';

export const ignoreAlreadyResolved: CorrelationStage = {
  name: 'ignore-already-resolved',
  rule: ALREADY_RESOLVED_RULE,
  run(draft) {
    if (draft.event.type !== 'alert') return 'continue';
    const { alert } = draft.event;
    if (!arrivedResolved(alert, draft.state.alerts[alert.id]))
      return 'continue';
    draft.decisions.push({
      type: 'ignore',
      alertId: alert.id,
      reason: 'arrived-resolved',
      rule: ALREADY_RESOLVED_RULE,
    });
    return 'stop';
  },
};
