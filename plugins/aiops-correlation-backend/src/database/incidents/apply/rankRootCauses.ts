import type { RootCauseCandidate } from '@aiops/plugin-aiops-common';
import { sameValue } from '../../../service/sameValue';
import { rankingOrderChanged } from '../../../service/timelineNews';
import { rankingSummary } from '../../../service/timelineWording';
import { parseCandidates } from '../rows';
import { noteChange } from './batch';
import type { StepEntry } from './step';
import type { IncidentWriter } from './types';

/**
 * A new root-cause ranking of an incident. When the step's snapshot holds the same ranking it
 * is stored with the snapshot instead.
 */
export const rankRootCauses: IncidentWriter<'rank-root-causes'> = async (
  decision,
  step,
  incidentId,
) => {
  const { tx } = step;
  if (
    sameValue(
      step.snapshotOf.get(incidentId)?.rootCauseCandidates,
      decision.candidates,
    )
  ) {
    step.rankedBySnapshot.add(incidentId);
    return;
  }
  const candidates = JSON.stringify(decision.candidates);
  const current = await tx('incidents')
    .where({ id: incidentId })
    .first('root_cause_candidates');
  if (!current || current.root_cause_candidates === candidates) return;
  await tx('incidents')
    .where({ id: incidentId })
    .update({ root_cause_candidates: candidates });
  noteChange(step.batch, incidentId, step.now);
  // New scores are stored; only a new order is news (`timelineNews`).
  if (
    rankingOrderChanged(
      parseCandidates(current.root_cause_candidates),
      decision.candidates,
    )
  ) {
    step.timeline(rankingEntry(incidentId, decision.candidates));
  }
};

/** The timeline entry of a new ranking; identified by what it says, like findings. */
export function rankingEntry(
  incidentId: string,
  candidates: RootCauseCandidate[],
): StepEntry {
  return {
    incidentId,
    kind: 'finding',
    action: 'rank-root-causes',
    summary: rankingSummary(candidates),
    evidence: candidates[0]?.evidence ?? [],
    identity: [
      incidentId,
      { type: 'rank-root-causes', incidentId, candidates },
    ],
  };
}
