import { touchNow, type CorrelationStage } from './stage';
import { activeWithEntities } from '../activeIncidents';
import { REGRESSION_LINKED_RULE } from '../rules/regressionLinked';

/** Remembers regressions; incidents of the regressed entity are re-checked for the link. */
export const recordRegression: CorrelationStage = {
  name: 'record-regression',
  rule: REGRESSION_LINKED_RULE,
  run(draft) {
    if (draft.event.type !== 'regression') return 'continue';
    const { regression } = draft.event;
    draft.state.regressions = [
      ...(draft.state.regressions ?? []).filter(r => r.id !== regression.id),
      regression,
    ];
    for (const inc of activeWithEntities(draft.state, [regression.entityRef])) {
      touchNow(draft, inc);
    }
    return 'stop';
  },
};
