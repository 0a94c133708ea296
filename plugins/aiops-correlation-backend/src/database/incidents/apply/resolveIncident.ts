import { iso } from '@aiops/plugin-aiops-node';
import { autoResolvedSummary } from '../../../service/timelineWording';
import { resolveUnresolved } from '../writes';
import { stepIdentity } from './step';
import type { IncidentWriter } from './types';

/** Correlation resolves a quiet incident (unless it is resolved already). */
export const resolveIncident: IncidentWriter<'resolve-incident'> = async (
  decision,
  step,
  incidentId,
) => {
  const at = iso(decision.at);
  if (!(await resolveUnresolved(step.tx, incidentId, at, step.actor))) return;
  step.timeline({
    incidentId,
    at,
    kind: 'status',
    action: decision.type,
    summary: autoResolvedSummary(decision.rule),
    evidence: [],
    identity: stepIdentity(step, incidentId, decision),
    change: 'resolved',
  });
};
