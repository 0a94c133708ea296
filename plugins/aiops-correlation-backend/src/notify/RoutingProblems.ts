import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RoutingProblem } from '../service/routing/types';

export interface ReportedProblem extends RoutingProblem {
  /** ISO 8601 */
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/**
 * What went wrong routing on this replica, for the platform page: each problem once, with how
 * often and when it was last seen. Logged when first seen, not on every incident.
 */
export class RoutingProblems {
  private readonly byKey = new Map<string, ReportedProblem>();
  /** Keys of the problems each checked source has now. */
  private readonly current = new Map<string, Set<string>>();

  constructor(private readonly logger: LoggerService) {}

  /**
   * The problems `source` has now: ones it no longer has are dropped (a group created in the
   * catalog is no longer unknown), the rest are reported as seen again.
   */
  track(source: string, problems: RoutingProblem[], at: string) {
    const keys = new Set(problems.map(problem => problem.key));
    for (const key of this.current.get(source) ?? []) {
      if (!keys.has(key)) this.byKey.delete(key);
    }
    this.current.set(source, keys);
    this.report(problems, at);
  }

  /** Problems seen while working; each stays listed with when it was last seen. */
  report(problems: RoutingProblem[], at: string) {
    for (const problem of problems) {
      const known = this.byKey.get(problem.key);
      if (known) {
        known.lastSeen = at;
        known.count++;
        known.incidentId = problem.incidentId ?? known.incidentId;
        continue;
      }
      this.logger.warn(`Notification routing: ${problem.message}`);
      this.byKey.set(problem.key, {
        ...problem,
        firstSeen: at,
        lastSeen: at,
        count: 1,
      });
    }
  }

  list(): ReportedProblem[] {
    return [...this.byKey.values()];
  }
}
