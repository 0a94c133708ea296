import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Deployment } from '@aiops/plugin-aiops-common';
import type { EntityIndex } from '@aiops/plugin-aiops-node';
import type {
  AssessmentStore,
  StoredAssessment,
} from '../database/AssessmentStore';
import { decideOutcome } from '../service/outcome';
import type { SuiteReader } from './SuiteReader';

/** Linked assessments older than this are left alone (their window closed long ago). */
export const OUTCOME_HORIZON_MS = 14 * 86_400_000;
/** Direct dependents whose incidents are read, one request each. */
const MAX_DIRECT_DEPENDENTS = 50;

const byStart = (a: Deployment, b: Deployment) =>
  Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id);

/**
 * Records the outcome of each assessment linked to a deployment (`DeploymentLinker`) once the
 * deploy's window has closed, by the rule in `decideOutcome`. Runs in a global scheduled task;
 * the store keeps the first outcome, so a rerun or a second replica changes nothing.
 */
export class OutcomeRecorder {
  constructor(
    private readonly options: {
      store: AssessmentStore;
      suite: SuiteReader;
      snapshot: () => Promise<Pick<EntityIndex, 'get'>>;
      windowMs: number;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  /** One pass over the linked assessments without an outcome; resolves to how many it recorded. */
  async run(): Promise<number> {
    const { store, logger } = this.options;
    const now = (this.options.now ?? Date.now)();
    const pending = await store.unresolved({
      since: new Date(now - OUTCOME_HORIZON_MS).toISOString(),
      linked: true,
    });
    let recorded = 0;
    for (const assessment of pending) {
      try {
        if (await this.resolve(assessment, now)) recorded++;
      } catch (error) {
        logger.warn(
          `Deploy-risk outcome of assessment ${
            assessment.id
          } could not be resolved: ${(error as Error).message}`,
        );
      }
    }
    return recorded;
  }

  private async resolve(
    assessment: StoredAssessment,
    now: number,
  ): Promise<boolean> {
    const { store, suite } = this.options;
    const { entityRef, environment } = assessment.request;
    const deploymentId = assessment.deploymentId!;
    const deploys = // A linked deploy started at or after its assessment.
      (
        await suite.deployments(
          entityRef,
          assessment.assessedAt,
          undefined,
          environment,
        )
      ).sort(byStart);
    const index = deploys.findIndex(d => d.id === deploymentId);
    if (index < 0) return false;
    const deploy = deploys[index];
    const next = deploys
      .slice(index + 1)
      .find(d => Date.parse(d.startedAt) > Date.parse(deploy.startedAt));
    const evidence = {
      startedAt: deploy.startedAt,
      ...(next ? { nextDeployAt: next.startedAt } : {}),
      incidents: [],
      regressions: [],
    };
    // Nothing to read until the window has closed.
    if (!decideOutcome(evidence, this.options.windowMs, now)) return false;
    const to = new Date(now).toISOString();
    const dependents = (
      (await this.options.snapshot()).get(entityRef)?.dependencyOf ?? []
    ).slice(0, MAX_DIRECT_DEPENDENTS);
    const [incidents, regressions] = await Promise.all([
      Promise.all(
        [entityRef, ...dependents].map(ref =>
          suite.incidentsOpened(ref, deploy.startedAt, to),
        ),
      ),
      suite.regressions(entityRef, ['active', 'acknowledged', 'resolved']),
    ]);
    const outcome = decideOutcome(
      {
        ...evidence,
        // One incident affecting the entity and a dependent counts once, on the entity.
        incidents: [
          ...new Map(
            incidents
              .flatMap((list, i) =>
                list.map(incident => ({
                  id: incident.id,
                  entityRef: i === 0 ? entityRef : dependents[i - 1],
                  openedAt: incident.openedAt,
                })),
              )
              .reverse()
              .map(incident => [incident.id, incident]),
          ).values(),
        ],
        regressions,
      },
      this.options.windowMs,
      now,
    )!;
    await store.recordOutcome(assessment.id, outcome);
    return true;
  }
}
