import { iso } from '@aiops/plugin-aiops-node';
import { reopenedByAlertSummary } from '../../../service/timelineWording';
import { reopenResolved } from '../writes';
import { stepIdentity } from './step';
import type { IncidentWriter } from './types';

/** An alert of a recently auto-resolved incident fired again: the incident reopens. */
export const reopenIncident: IncidentWriter<'reopen-incident'> = async (
  decision,
  step,
  incidentId,
) => {
  const at = iso(decision.at);
  // A stale replay never undoes a later resolve.
  const { updated } = await reopenResolved(step.tx, incidentId, at, {
    resolvedBy: at,
  });
  if (!updated) return;
  step.timeline({
    incidentId,
    at,
    kind: 'status',
    action: decision.type,
    summary: reopenedByAlertSummary(decision.alertId, decision.rule),
    evidence: [{ kind: 'alert', id: decision.alertId }],
    identity: stepIdentity(step, incidentId, decision),
    change: 'reopened',
  });
};
