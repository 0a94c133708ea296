import { noteChange } from './batch';
import { contentIdentity } from './step';
import type { IncidentWriter } from './types';
import { upsertFinding } from '../writes';

/** A finding about an incident, stored under its key; an entry when it says something new. */
export const addFinding: IncidentWriter<'add-finding'> = async (
  decision,
  step,
  incidentId,
) => {
  // The step's snapshot of the incident stores this finding (same timeline identity).
  if (step.findingsBySnapshot.has(incidentId)) return;
  const stored = await upsertFinding(
    step.tx,
    incidentId,
    decision.key,
    decision.finding,
    step.now,
  );
  if (stored.changed) noteChange(step.batch, incidentId, step.now);
  if (stored.news) {
    step.timeline({
      incidentId,
      kind: 'finding',
      action: decision.type,
      summary: decision.finding.summary,
      evidence: decision.finding.evidence,
      identity: contentIdentity(incidentId, decision),
    });
  }
};
