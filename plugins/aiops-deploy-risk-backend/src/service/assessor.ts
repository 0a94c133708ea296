import { NotFoundError } from '@backstage/errors';
import type {
  AssessmentStore,
  StoredAssessment,
} from '../database/AssessmentStore';
import type { DeployRiskConfig } from './config';
import { assessRisk } from './score';
import type {
  ActiveRegression,
  Dependent,
  OpenIncident,
  PastDeployment,
  RiskInput,
  RiskPolicy,
} from './types';
import { validateAssessmentRequest } from './validateRequest';

export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * Where an assessment's context comes from: the catalog, correlation, ingest, the regression
 * detector and the owner's policy. The plugin will implement it over those plugins' APIs; the
 * tests implement it over plain data.
 */
export interface RiskContextSource {
  /** Whether the catalog knows the entity; an unknown one is a 404, not a guess. */
  entityExists(entityRef: string): Promise<boolean>;
  /** Incidents open at `now` on the entity and on what it depends on. */
  openIncidents(entityRef: string, now: string): Promise<OpenIncident[]>;
  /** The entity's deployments in `environment` from `since` to `now`, with recorded outcomes. */
  deployments(
    entityRef: string,
    environment: string,
    since: string,
    now: string,
  ): Promise<PastDeployment[]>;
  /** Transitive catalog dependents, with depth, tier and lifecycle. */
  dependents(entityRef: string): Promise<Dependent[]>;
  /** Regressions active at `now`; none when the regression detector is not installed. */
  activeRegressions(
    entityRef: string,
    now: string,
  ): Promise<ActiveRegression[]>;
  /** The owner's policy, freeze windows expanded over [from, to). */
  policy(entityRef: string, from: string, to: string): Promise<RiskPolicy>;
}

/**
 * Validates a request, gathers its context, scores it with the pure core and stores the
 * result. Everything that can vary between two runs (the clock, the context) comes in through
 * its arguments, so an assessment can be replayed from what was stored.
 */
export class Assessor {
  constructor(
    private readonly options: {
      source: RiskContextSource;
      store: AssessmentStore;
      config: DeployRiskConfig;
      clock?: () => Date;
    },
  ) {}

  async assess(body: unknown): Promise<StoredAssessment> {
    const request = validateAssessmentRequest(body);
    const { source, store, config } = this.options;
    const now = (this.options.clock?.() ?? new Date()).toISOString();
    if (!(await source.entityExists(request.entityRef))) {
      throw new NotFoundError(
        `entity ${request.entityRef} is not in the catalog`,
      );
    }
    const deployAt = request.plannedAt ?? now;
    const since = new Date(
      Date.parse(now) - HISTORY_DAYS * DAY_MS,
    ).toISOString();
    const [incidents, deployments, dependents, regressions, policy] =
      await Promise.all([
        source.openIncidents(request.entityRef, now),
        source.deployments(request.entityRef, request.environment, since, now),
        source.dependents(request.entityRef),
        source.activeRegressions(request.entityRef, now),
        source.policy(
          request.entityRef,
          deployAt,
          new Date(Date.parse(deployAt) + 1).toISOString(),
        ),
      ]);
    const input: RiskInput = {
      request,
      now,
      incidents,
      deployments,
      dependents,
      regressions,
      policy,
    };
    const scored = assessRisk(input, config);
    return store.insert({
      request,
      assessedAt: now,
      score: scored.score,
      probability: scored.probability,
      level: scored.level,
      factors: scored.factors,
      recommendation: scored.recommendation,
      blockedBy: scored.blockedBy,
      ruleVersions: scored.ruleVersions,
    });
  }
}
