import { clock, dateTime } from '../format';
import type { NarrativeFacts } from '../facts';
import { label, leadingDeployment, nameOf, ownerLabel } from './names';

const MAX_ACTIONS = 6;
const MAX_RUNBOOKS = 2;
/** The best past fix only: the similar-incidents card lists the others. */
const MAX_PAST_FIXES = 1;

/**
 * What to do first, only from the facts: the root cause, the deployment to roll back, the
 * runbooks of the catalog, how similar past incidents were fixed (retrieval's best hits with a
 * resolution note or postmortem), the regressed metric, the owners to bring in. A past fix
 * comes after the runbooks: it worked once, a runbook is what the owners keep current.
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
  for (const past of facts.pastIncidents.slice(0, MAX_PAST_FIXES))
    actions.push(pastFix(past));
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

/** One past incident's fix, quoted: the note is the resolver's words, not the narrator's. */
function pastFix(past: NarrativeFacts['pastIncidents'][number]): string {
  const which = `A similar past incident, “${past.title}” (${dateTime(
    past.openedAt,
  )}),`;
  const postmortem = past.postmortemUrl
    ? `postmortem: ${past.postmortemUrl}`
    : undefined;
  if (!past.note) return `${which} has a ${postmortem}`;
  return `${which} was resolved with: “${past.note}”${
    postmortem ? ` (${postmortem})` : ''
  }`;
}
