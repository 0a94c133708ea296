import { clock } from '../format';
import type { NarrativeFacts } from '../facts';
import { label, leadingDeployment, nameOf, ownerLabel } from './names';

const MAX_ACTIONS = 5;
const MAX_RUNBOOKS = 2;

/**
 * What to do first, only from the facts: the root cause, the deployment to roll back, the
 * runbooks of the catalog, the regressed metric, the owners to bring in. Past incidents' fixes
 * join once retrieval ([G]) lands.
 */
export function suggestedActionsOf(facts: NarrativeFacts): string[] {
  const actions: string[] = [];
  const { rootCause } = facts;
  if (rootCause)
    actions.push(
      `Start with ${label(
        facts,
        rootCause.entityRef,
      )}: it is the most likely cause.`,
    );
  const deployment = leadingDeployment(facts);
  if (deployment && deployment.source !== 'pagerduty-change') {
    const name = nameOf(facts, deployment.entityRef);
    actions.push(
      deployment.previousVersion
        ? `If ${name} ${deployment.version} is to blame, roll back to ${deployment.previousVersion}.`
        : `Check whether ${name} ${deployment.version} is to blame, and roll it back if so.`,
    );
  }
  for (const runbook of facts.runbooks.slice(0, MAX_RUNBOOKS))
    actions.push(`Follow the ${runbook.title}: ${runbook.url}`);
  const regression = facts.regressions[0];
  if (regression)
    actions.push(
      `Compare ${regression.metric} of ${label(
        facts,
        regression.entityRef,
      )} before and after ${clock(regression.changePointAt)}.`,
    );
  const owner = facts.owners.find(o => o.entityRefs.length > 0);
  if (owner && rootCause)
    actions.push(
      `Bring in ${ownerLabel(
        facts,
        owner.ref,
      )}, who own the affected services.`,
    );
  if (actions.length === 0) {
    const first = facts.entities.find(e => e.firstAlertAt);
    if (first?.firstAlertAt)
      actions.push(
        `Look at the first alert on ${first.label}, at ${clock(
          first.firstAlertAt,
        )}.`,
      );
  }
  return actions.slice(0, MAX_ACTIONS);
}
