import { suppressedSummary } from '../../../service/timelineWording';
import type { RoleColumns } from '../rows';
import { stepIdentity } from './step';
import type { IncidentWriter } from './types';

/** An alert of an incident is kept quiet: by a silence, or by another alert. */
export const suppressAlert: IncidentWriter<'suppress-alert'> = async (
  decision,
  step,
  incidentId,
) => {
  const { suppression } = decision;
  const columns: RoleColumns = {
    role: 'suppressed',
    suppressed_reason: suppression.reason,
    suppressed_by_alert_id:
      'alertId' in suppression.by ? suppression.by.alertId : null,
    suppressed_by_silence_id:
      'silenceId' in suppression.by ? suppression.by.silenceId : null,
    suppressed_rule: suppression.rule,
  };
  step.roleChange(decision.alertId, columns, {
    incidentId,
    at: step.now,
    actor: step.actor,
    kind: 'alert',
    action: decision.type,
    summary: suppressedSummary(decision.alertId, suppression),
    evidence: [
      { kind: 'alert', id: decision.alertId },
      ...('alertId' in suppression.by
        ? [{ kind: 'alert' as const, id: suppression.by.alertId }]
        : []),
    ],
    identity: stepIdentity(step, incidentId, decision),
  });
};
