import type { Knex } from 'knex';
import type { CorrelationDecision } from '../../../service/types';
import type { AppliedDecisions, ApplyContext } from '../../IncidentStore';
import { lookUpExistence } from '../writes';
import { addFinding } from './addFinding';
import { attachAlert } from './attachAlert';
import { emptyBatch, flushBatch, type BatchWrites } from './batch';
import { mergeIncident } from './mergeIncident';
import { moveAlert } from './moveAlert';
import { openIncident } from './openIncident';
import { rankRootCauses } from './rankRootCauses';
import { reopenIncident } from './reopenIncident';
import { resolveIncident } from './resolveIncident';
import { storeSnapshots } from './snapshots';
import { startStep, type Step } from './step';
import { suppressAlert } from './suppressAlert';
import type { DecisionType, IncidentWriter, Writer } from './types';
import { unsuppressAlert } from './unsuppressAlert';

/*
 * Stores the decisions of correlation steps: one writer per decision type, in its own file
 * (as Alertmanager's notify/ has one stage per file). What the steps of a batch write together
 * is collected in `BatchWrites` and written at its end (`batch.ts`).
 */

/** Decisions with nothing to store here. */
const skip = async (_decision: CorrelationDecision, step: Step) => {
  step.result.skipped++;
};

/**
 * A writer for decisions about a stored incident: the decision's incident is followed to the
 * stored one (`Step.target`), and the decision is skipped when there is none.
 */
function onStoredIncident<T extends DecisionType>(
  write: IncidentWriter<T>,
): Writer<T> {
  return async (decision, step) => {
    const incidentId =
      'incidentId' in decision &&
      decision.incidentId &&
      step.target(decision.incidentId);
    if (!incidentId || !(await step.known(incidentId))) {
      step.result.skipped++;
      return;
    }
    await write(decision, step, incidentId);
  };
}

const WRITERS: { [T in DecisionType]: Writer<T> } = {
  'open-incident': openIncident,
  'attach-alert': onStoredIncident(attachAlert),
  'suppress-alert': onStoredIncident(suppressAlert),
  'unsuppress-alert': onStoredIncident(unsuppressAlert),
  'move-alert': moveAlert,
  'merge-incident': mergeIncident,
  'add-finding': onStoredIncident(addFinding),
  'rank-root-causes': onStoredIncident(rankRootCauses),
  'resolve-incident': onStoredIncident(resolveIncident),
  'reopen-incident': onStoredIncident(reopenIncident),
  hold: skip,
  ignore: skip,
};

/** Stores the decisions of several steps in one transaction (`IncidentStore.applySteps`). */
export async function applySteps(
  db: Knex,
  steps: Array<{ decisions: CorrelationDecision[]; context: ApplyContext }>,
): Promise<AppliedDecisions[]> {
  return db.transaction(async tx => {
    const batch = emptyBatch();
    // One look for every incident the batch names, instead of one per decision.
    await lookUpExistence(
      tx,
      steps.flatMap(({ decisions, context }) => [
        ...decisions.flatMap(d =>
          'incidentId' in d && d.incidentId ? [d.incidentId] : [],
        ),
        ...(context.snapshots ?? []).map(snapshot => snapshot.incident.id),
      ]),
      batch.exists,
    );
    const results: AppliedDecisions[] = [];
    for (const { decisions, context } of steps) {
      results.push(await applyStep(tx, decisions, context, batch));
    }
    await flushBatch(tx, batch);
    return results;
  });
}

/** One correlation step inside the caller's transaction, as part of `batch`. */
async function applyStep(
  tx: Knex.Transaction,
  decisions: CorrelationDecision[],
  context: ApplyContext,
  batch: BatchWrites,
): Promise<AppliedDecisions> {
  const step = startStep(tx, decisions, context, batch);
  for (const decision of decisions) {
    // An unknown type (a newer replica's decision) has nothing to store here.
    const write = (WRITERS[decision.type] ?? skip) as Writer<DecisionType>;
    await write(decision, step);
  }
  await storeSnapshots(step, context.snapshots ?? []);
  return step.result;
}
