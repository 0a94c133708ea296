import { clock, capitalize, dateTime, duration, list, plural } from '../format';
import type { NarrativeFacts } from '../facts';
import {
  affectedEntities,
  firstAlertPhrase,
  label,
  leadingDeployment,
  nameOf,
} from './names';

/**
 * The page text: what, since when, the most likely cause, the deployment before it, who else
 * is affected and who owns it, in two sentences, e.g. "Critical incident: 12 alerts on 4
 * entities since 2026-11-20 10:03 UTC. Redis (cart) is the most likely cause, alerting since
 * 10:03 UTC; cart 2.790.23 was deployed 3 minutes before its first alert; checkout and frontend
 * are affected; owned by Checkout."
 */
export function summaryOf(facts: NarrativeFacts): string {
  const { incident, rootCause } = facts;
  const alerting = facts.entities.filter(e => e.alertCount > 0);
  const state =
    incident.status === 'resolved' && incident.resolvedAt
      ? `, resolved at ${clock(incident.resolvedAt)}`
      : '';
  // Alerts known by id only (correlation's store, or ingest unreachable) name no entity: the
  // count of entities and "raised no alert itself" are then not known, and not said.
  const alertsKnown = facts.alerts.every(a => a.startsAt);
  const on =
    alerting.length > 0
      ? ` on ${plural(alerting.length, 'entity', 'entities')}`
      : '';
  const first = `${capitalize(incident.severity)} incident: ${plural(
    facts.alertCount,
    'alert',
  )}${on} since ${dateTime(facts.onsetAt)}${state}.`;

  const parts: string[] = [];
  const rootRef = rootCause?.entityRef ?? incident.primaryEntityRef;
  if (rootCause) {
    const since = facts.entities.find(
      e => e.ref === rootCause.entityRef,
    )?.firstAlertAt;
    parts.push(
      `${label(
        facts,
        rootCause.entityRef,
      )} is the most likely cause${rootCauseAlerting(since, alertsKnown)}`,
    );
  } else if (incident.primaryEntityRef) {
    parts.push(
      `The first alerts came from ${label(facts, incident.primaryEntityRef)}`,
    );
  }
  const deployment = leadingDeployment(facts);
  if (deployment?.firstAlert) {
    parts.push(
      `${nameOf(facts, deployment.entityRef)} ${
        deployment.version
      } was deployed ${duration(
        deployment.firstAlert.leadMs,
      )} before ${firstAlertPhrase(facts, deployment)}`,
    );
  }
  const others = affectedEntities(facts)
    .filter(e => e.ref !== rootRef)
    .map(e => e.label);
  if (others.length > 0)
    parts.push(
      `${list(others, 3)} ${others.length === 1 ? 'is' : 'are'} affected`,
    );
  const owners = facts.owners.filter(
    o => o.entityRefs.length > 0 || o.ref === incident.owner,
  );
  if (owners.length > 0)
    parts.push(
      `owned by ${list(
        owners.map(o => o.label),
        3,
      )}`,
    );
  // Entity names keep their case, even at the start of a sentence.
  return parts.length > 0 ? `${first} ${parts.join('; ')}.` : first;
}

/** When the root cause began to alert; that it did not, only when every alert's entity is known. */
function rootCauseAlerting(since: string | undefined, alertsKnown: boolean) {
  if (since) return `, alerting since ${clock(since)}`;
  return alertsKnown ? ', though it raised no alert itself' : '';
}
