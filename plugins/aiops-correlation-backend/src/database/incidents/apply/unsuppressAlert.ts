import { unsuppressedSummary } from '../../../service/timelineWording';
import { MEMBER_ROLE } from '../rows';
import { stepIdentity } from './step';
import type { IncidentWriter } from './types';

/** A suppressed alert of an incident is a member again. */
export const unsuppressAlert: IncidentWriter<'unsuppress-alert'> = async (
  decision,
  step,
  incidentId,
) => {
  step.roleChange(decision.alertId, MEMBER_ROLE, {
    incidentId,
    at: step.now,
    actor: step.actor,
    kind: 'alert',
    action: decision.type,
    summary: unsuppressedSummary(decision.alertId),
    evidence: [{ kind: 'alert', id: decision.alertId }],
    identity: stepIdentity(step, incidentId, decision),
  });
};
