import { mergedByMovesSummaries } from '../../../service/timelineWording';
import type { TimelineRow } from '../../rows';
import { resolutionColumns } from '../rows';
import type { Writer } from './types';

/**
 * Every alert of an incident moved to another one: it resolves, merged into it. Nothing was
 * fixed, so it resolves without the target resolving; a resolved or already merged source is
 * left as it is.
 */
export const mergeIncident: Writer<'merge-incident'> = async (
  decision,
  step,
) => {
  const source = step.target(decision.sourceId);
  if (!(await step.known(source))) return;
  const target = step.target(decision.incidentId);
  const at = decision.at;
  const updated = await step
    .tx('incidents')
    .where('id', source)
    .whereNull('merged_into')
    .whereNot('status', 'resolved')
    .update({
      status: 'resolved',
      resolved_at: at,
      resolved_by: step.actor,
      ...resolutionColumns(),
      open_correlation_key: null,
      merged_into: target,
      updated_at: at,
    });
  if (!updated) return;
  const identity = ['merge-incident', source, target];
  const summaries = mergedByMovesSummaries(source, target, decision.rule);
  const entry = (
    incidentId: string,
    side: 'source' | 'target',
  ): TimelineRow => ({
    incidentId,
    at,
    actor: step.actor,
    kind: 'status',
    action: 'merge',
    summary: summaries[side],
    evidence: [],
    identity: [...identity, side],
  });
  step.batch.timeline.push(
    { ...entry(source, 'source'), change: 'merged' },
    entry(target, 'target'),
  );
};
