import type { Regression } from '@aiops/plugin-aiops-common';
import type { StoredRegression } from './database/RegressionStore';

/**
 * The regression as `aiops.regression.detected` carries it (the suite's `Regression`, which
 * correlation's regression-linked rule reads). Its `relativeChange` is a number: a change from
 * a level of 0 (an error rate that was 0) has none, and goes out as 0, with the means saying
 * what happened; the stored regression and the API keep null.
 */
export function toEvent(regression: StoredRegression): Regression {
  return {
    id: regression.id,
    entityRef: regression.entityRef,
    metric: regression.metric,
    direction: regression.direction,
    detectedAt: regression.detectedAt,
    changePointAt: regression.changeAt,
    before: regression.before,
    after: regression.after,
    relativeChange: regression.relativeChange ?? 0,
    pValue: regression.pValue,
    ...(regression.deploymentId
      ? { deploymentId: regression.deploymentId }
      : {}),
  };
}
