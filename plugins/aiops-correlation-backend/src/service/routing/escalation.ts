import type { Incident } from '@aiops/plugin-aiops-common';
import { ANNOTATIONS } from './annotations';
import { owningGroup, type RoutingCatalog } from './route';
import type { EscalationPolicy, RoutingConfig, RoutingProblem } from './types';

export interface DueEscalationStep {
  step: number;
  afterMs: number;
  /** ISO 8601: when the step fell due, the same on every replica. */
  at: string;
}

/**
 * The steps of `policy` due at `nowMs` for an incident unacknowledged since `sinceMs` (opened
 * or reopened), leaving out those already recorded. A late check catches up on every missed
 * step, each at the time it fell due.
 */
export function dueEscalationSteps(
  policy: EscalationPolicy,
  sinceMs: number,
  nowMs: number,
  recorded: ReadonlySet<number>,
): DueEscalationStep[] {
  return policy.steps.flatMap((step, index) =>
    !recorded.has(index) && sinceMs + step.afterMs <= nowMs
      ? [
          {
            step: index,
            afterMs: step.afterMs,
            at: new Date(sinceMs + step.afterMs).toISOString(),
          },
        ]
      : [],
  );
}

/**
 * The escalation policy of an incident: its service's `aiops/escalation-policy` annotation, else
 * the owner group's configured policy, else the group's annotation. A name that is not
 * configured is reported and means no escalation.
 */
export function escalationPolicyFor(
  incident: Pick<Incident, 'id' | 'owner' | 'primaryEntityRef'>,
  catalog: RoutingCatalog,
  config: RoutingConfig,
  problems: RoutingProblem[],
): EscalationPolicy | undefined {
  const group = owningGroup(incident, catalog, config, problems);
  const name =
    (incident.primaryEntityRef &&
      catalog.get(incident.primaryEntityRef)?.annotations[
        ANNOTATIONS.escalationPolicy
      ]) ||
    (group && config.groups[group]?.escalationPolicy) ||
    (group && catalog.get(group)?.annotations[ANNOTATIONS.escalationPolicy]);
  if (!name) return undefined;
  const policy = config.escalationPolicies[name];
  if (!policy) {
    problems.push({
      key: `escalation-policy:${name}`,
      message: `Escalation policy "${name}" (from ${
        incident.primaryEntityRef ?? group
      }) is not in aiops.routing.escalationPolicies; the incident does not escalate`,
      incidentId: incident.id,
    });
  }
  return policy;
}
