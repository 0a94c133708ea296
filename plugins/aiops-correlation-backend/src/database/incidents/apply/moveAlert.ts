import { movedSummaries } from '../../../service/timelineWording';
import type { TimelineRow } from '../../rows';
import { noteChange } from './batch';
import type { Decision, Writer } from './types';

/**
 * An alert leaves one incident for another. The incident it joins may open later in this
 * batch, so the move is stored at the end (`storeMoves`).
 */
export const moveAlert: Writer<'move-alert'> = async (decision, step) => {
  const { batch, now } = step;
  const from = step.target(decision.fromIncidentId);
  const to = step.target(decision.incidentId);
  batch.moves.push({
    alertId: decision.alertId,
    from,
    to,
    rule: decision.rule,
    reason: decision.reason,
    at: now,
  });
  batch.timeline.push(...moveEntries(decision, from, to, now, step.actor));
  noteChange(batch, from, now);
  noteChange(batch, to, now);
};

/**
 * The two timeline entries of a move: the incident it left says where the alert went, the one
 * it joined where it came from. Identified by what they say, like joins.
 */
function moveEntries(
  decision: Decision<'move-alert'>,
  from: string,
  to: string,
  at: string,
  actor: string,
): TimelineRow[] {
  const evidence = [{ kind: 'alert' as const, id: decision.alertId }];
  const identity = ['move-alert', decision.alertId, from, to];
  const summaries = movedSummaries(decision, from, to);
  const entry = (incidentId: string, side: 'left' | 'joined'): TimelineRow => ({
    incidentId,
    at,
    actor,
    kind: 'alert',
    action: 'move-alert',
    summary: summaries[side],
    evidence,
    identity: [...identity, side],
  });
  return [entry(from, 'left'), entry(to, 'joined')];
}
