import type { CorrelationStage } from './stage';
import { UNOWNED_OVERFLOW_RULE } from '../rules/unownedOverflow';
import { ALREADY_RESOLVED_RULE } from '../rules/alreadyResolved';
import { SILENCE_RULE } from '../rules/silences';
import { releaseEndedSilences } from '../rules/silenceEnd';
import { FLAP_RULE } from '../rules/flapping';
import { CLOCK_SKEW_RULE } from '../rules/clockSkew';
import { GROUP_KEY_RULE } from '../rules/groupKey';
import { TOPOLOGY_GROUPING_RULE } from '../rules/topologyGrouping';
import { OPEN_GATE_RULE } from '../rules/openGate';
import { AUTO_RESOLVE_RULE } from '../rules/autoResolve';
import { DEPLOY_LINKED_RULE } from '../rules/deployLinked';
import { INHIBITION_RULE } from '../rules/inhibition';
import { OBSERVED_TOPOLOGY_RULE } from '../rules/observedTopology';
import { ROOT_CAUSE_RULE } from '../rootCause';
import { REGRESSION_LINKED_RULE } from '../rules/regressionLinked';
import { followLifecycle, MANUAL_MERGE_RULE } from '../lifecycle';
import { reviewMembership } from './reviewMembership';
import { MEMBERSHIP_REVIEW_RULE } from '../rules/membershipReview';
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

/** Every rule version the pipeline applies; stored on each incident for reproducibility. */
export const ruleVersions: string[] = [
  ALREADY_RESOLVED_RULE,
  AUTO_RESOLVE_RULE,
  CLOCK_SKEW_RULE,
  DEPLOY_LINKED_RULE,
  FLAP_RULE,
  GROUP_KEY_RULE,
  INHIBITION_RULE,
  MANUAL_MERGE_RULE,
  MEMBERSHIP_REVIEW_RULE,
  OBSERVED_TOPOLOGY_RULE,
  OPEN_GATE_RULE,
  REGRESSION_LINKED_RULE,
  ROOT_CAUSE_RULE,
  SILENCE_RULE,
  TOPOLOGY_GROUPING_RULE,
  UNOWNED_OVERFLOW_RULE,
].sort();

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
