import type { CorrelationStage } from './stage';
import { releaseEndedSilences } from '../rules/silenceEnd';
import { followLifecycle } from '../lifecycle';
import { reviewMembership } from './reviewMembership';
import { ignoreAlreadyResolved } from './ignoreAlreadyResolved';
import { trackAlert } from './trackAlert';
import { applySilences } from './applySilences';
import { groupByKey } from './groupByKey';
import { groupByTopology } from './groupByTopology';
import { startGroup } from './startGroup';
import { recordDeployment } from './recordDeployment';
import { recordRegression } from './recordRegression';
import { openGate } from './openGate';
import { refreshIncidents } from './refreshIncidents';
import { autoResolve } from './autoResolve';
import { prune } from './prune';

export {
  runStages,
  touchNow,
  type CorrelationStage,
  type Draft,
} from './stage';
export { refreshTouched } from './refreshIncidents';

export { ruleVersions } from './ruleVersions';

/** Stages that depend on the event, in order. */
export const EVENT_STAGES: CorrelationStage[] = [
  followLifecycle,
  ignoreAlreadyResolved,
  trackAlert,
  applySilences,
  groupByKey,
  groupByTopology,
  startGroup,
  recordDeployment,
  recordRegression,
];

/** Stages that run after every event, ticks included. */
export const HOUSEKEEPING_STAGES: CorrelationStage[] = [
  releaseEndedSilences([groupByKey, groupByTopology, startGroup]),
  openGate,
  reviewMembership,
  refreshIncidents,
  autoResolve,
  prune,
];
