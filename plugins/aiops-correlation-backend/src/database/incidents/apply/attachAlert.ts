import { joinedSummary } from '../../../service/timelineWording';
import type { TimelineRow } from '../../rows';
import { alertKey } from '../rows';
import { noteChange } from './batch';
import { stepIdentity } from './step';
import type { IncidentWriter } from './types';

/**
 * An alert joins an incident. One stored with its incident's opening in this step only gets
 * its entry; the others are stored with the batch (`storeAttaches`).
 */
export const attachAlert: IncidentWriter<'attach-alert'> = async (
  decision,
  step,
  incidentId,
) => {
  const { batch, now } = step;
  const entry: TimelineRow = {
    incidentId,
    at: now,
    actor: step.actor,
    kind: 'alert',
    action: decision.type,
    summary: joinedSummary(decision),
    evidence: [{ kind: 'alert', id: decision.alertId }],
    identity: stepIdentity(step, incidentId, decision),
  };
  // The entry keeps its place on the timeline; `storeAttaches` drops it if nothing changed.
  batch.timeline.push(entry);
  if (step.attachedWithOpen.delete(alertKey(incidentId, decision.alertId))) {
    noteChange(batch, incidentId, now);
    return;
  }
  batch.attaches.push({
    incidentId,
    alertId: decision.alertId,
    rule: decision.rule,
    reason: decision.reason,
    entry,
  });
};
