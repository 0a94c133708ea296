import type { NotificationStore } from '../database/NotificationStore';
import {
  dueEscalationSteps,
  escalationPolicyFor,
} from '../service/routing/escalation';
import { describeDuration, shortRef } from '../service/routing/message';
import type { RoutingCatalog } from '../service/routing/route';
import type {
  EscalationTarget,
  RoutingConfig,
  RoutingProblem,
} from '../service/routing/types';
import type { RoutingProblems } from './RoutingProblems';

/**
 * Escalates incidents nobody acknowledged: each due step of their policy goes on the timeline
 * as a change to route. Every replica may look; the store records each step once, and not at
 * all once the incident is acknowledged or resolved.
 */
export class EscalationWatcher {
  constructor(
    private readonly options: {
      notifications: NotificationStore;
      catalog: () => Promise<RoutingCatalog>;
      config: RoutingConfig;
      problems: RoutingProblems;
    },
  ) {}

  /** Records the steps due at `now`; returns how many. */
  async check(now: Date): Promise<number> {
    const { notifications, config } = this.options;
    const candidates = await notifications.escalationCandidates();
    if (candidates.length === 0) return 0;
    const catalog = await this.options.catalog();
    const problems: RoutingProblem[] = [];
    let recorded = 0;
    for (const candidate of candidates) {
      const policy = escalationPolicyFor(
        { id: candidate.incidentId, ...candidate },
        catalog,
        config,
        problems,
      );
      if (!policy) continue;
      const due = dueEscalationSteps(
        policy,
        Date.parse(candidate.since),
        now.getTime(),
        candidate.recordedSteps,
      );
      for (const step of due) {
        const targets = policy.steps[step.step].notify;
        const stored = await notifications.recordEscalation(
          candidate,
          {
            policy: policy.name,
            step: step.step,
            afterMs: step.afterMs,
            targets,
          },
          {
            at: step.at,
            summary: `Not acknowledged after ${describeDuration(
              step.afterMs,
            )}: escalated to ${targets
              .map(describeEscalationTarget)
              .join(', ')} (step ${step.step + 1} of ${
              policy.steps.length
            }, policy "${policy.name}")`,
          },
        );
        if (stored) recorded++;
      }
    }
    this.options.problems.report(problems, now.toISOString());
    return recorded;
  }
}

function describeEscalationTarget(target: EscalationTarget): string {
  return target.type === 'parent' ? 'the parent group' : shortRef(target.ref);
}
