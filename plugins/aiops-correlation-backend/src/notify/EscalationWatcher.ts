import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  EscalationCandidate,
  NotificationStore,
} from '../database/NotificationStore';
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
      clock: () => Date;
      logger: LoggerService;
    },
  ) {}

  /** Records the steps due now; returns how many. */
  async check(): Promise<number> {
    const now = this.options.clock();
    const candidates = await this.options.notifications.escalationCandidates();
    if (candidates.length === 0) return 0;
    const catalog = await this.options.catalog();
    const problems: RoutingProblem[] = [];
    let recorded = 0;
    for (const candidate of candidates) {
      try {
        recorded += await this.escalate(candidate, catalog, now, problems);
      } catch (error) {
        // The other incidents still escalate; this one is looked at again next run.
        this.options.logger.error(
          `Escalating incident ${candidate.incidentId} failed: ${error}`,
        );
      }
    }
    this.options.problems.report(problems, now.toISOString());
    return recorded;
  }

  private async escalate(
    candidate: EscalationCandidate,
    catalog: RoutingCatalog,
    now: Date,
    problems: RoutingProblem[],
  ): Promise<number> {
    const policy = escalationPolicyFor(
      { id: candidate.incidentId, ...candidate },
      catalog,
      this.options.config,
      problems,
    );
    if (!policy) return 0;
    let recorded = 0;
    for (const step of dueEscalationSteps(
      policy,
      Date.parse(candidate.since),
      now.getTime(),
      candidate.recordedSteps,
    )) {
      const targets = policy.steps[step.step].notify;
      const stored = await this.options.notifications.recordEscalation(
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
    return recorded;
  }
}

function describeEscalationTarget(target: EscalationTarget): string {
  return target.type === 'parent' ? 'the parent group' : shortRef(target.ref);
}
