import { MANUAL_MERGE_RULE } from '../lifecycle';
import { UNOWNED_OVERFLOW_RULE } from '../rules/unownedOverflow';
import { ALREADY_RESOLVED_RULE } from '../rules/alreadyResolved';
import { SILENCE_RULE } from '../rules/silences';
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
import { MEMBERSHIP_REVIEW_RULE } from '../rules/membershipReview';
import { FINDING_LIMIT_RULE } from '../rules/findingLimit';

/** Every rule version the pipeline applies; stored on each incident for reproducibility. */
export const ruleVersions: string[] = [
  ALREADY_RESOLVED_RULE,
  AUTO_RESOLVE_RULE,
  CLOCK_SKEW_RULE,
  DEPLOY_LINKED_RULE,
  FINDING_LIMIT_RULE,
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
