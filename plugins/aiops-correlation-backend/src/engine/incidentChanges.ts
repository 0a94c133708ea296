import type {
  AIOPS_TOPICS,
  AiopsEventPayloads,
} from '@aiops/plugin-aiops-node';
import type { IncidentSnapshot } from '../database/IncidentStore';
import type { CorrelationStep } from '../service/correlate';
import type { CorrelationDecision, CorrelationState } from '../service/types';

/*
 * What a correlated batch changed, as pure functions: the incidents whose snapshots the store
 * gets, and the one change each incident announces.
 */

export type IncidentChange =
  AiopsEventPayloads[typeof AIOPS_TOPICS.incidentChanged]['change'];

function incidentIdsOf(decisions: CorrelationDecision[]): string[] {
  const ids = new Set<string>();
  for (const d of decisions) {
    if (d.type === 'open-incident') ids.add(d.incident.id);
    else if ('incidentId' in d && d.incidentId) ids.add(d.incidentId);
  }
  return [...ids];
}

/**
 * The core's view (after the whole batch) of every incident the batch touched or re-derived,
 * handed to the store with the batch's last step: the coalesced refresh that produced it runs
 * with that step, earlier steps would only write the same final values again, and the store
 * reads the stored rows of all of them at once.
 */
export function batchSnapshots(
  steps: CorrelationStep[],
  state: CorrelationState,
  refreshed: string[],
): IncidentSnapshot[] {
  const ids = new Set(refreshed);
  for (const step of steps) {
    for (const id of incidentIdsOf(step.decisions)) ids.add(id);
  }
  return [...ids].flatMap(id => {
    const inc = state.incidents[id];
    return inc?.phase === 'open'
      ? [{ incident: inc.incident, findingsByKey: inc.findingsByKey }]
      : [];
  });
}

const CHANGE_WEIGHT: Partial<Record<IncidentChange, number>> = {
  opened: 3,
  resolved: 2,
  reopened: 2,
  updated: 1,
};

/** Of two changes of one incident in a batch, the one subscribers most need to hear (the later on a tie). */
export function mostTelling(
  earlier: IncidentChange | undefined,
  later: IncidentChange,
) {
  if (!earlier) return later;
  return (CHANGE_WEIGHT[earlier] ?? 0) > (CHANGE_WEIGHT[later] ?? 0)
    ? earlier
    : later;
}

const STATUS_CHANGES: Partial<
  Record<CorrelationDecision['type'], IncidentChange>
> = {
  'resolve-incident': 'resolved',
  'reopen-incident': 'reopened',
};

export function changesOf(decisions: CorrelationDecision[], opened: string[]) {
  const changes = new Map<string, IncidentChange>();
  const note = (id: string, change: IncidentChange) =>
    changes.set(id, mostTelling(changes.get(id), change));
  for (const d of decisions) {
    if (d.type === 'open-incident' || d.type === 'hold' || d.type === 'ignore')
      continue;
    if (!d.incidentId) continue;
    note(d.incidentId, STATUS_CHANGES[d.type] ?? 'updated');
  }
  for (const id of opened) note(id, 'opened');
  return changes;
}
