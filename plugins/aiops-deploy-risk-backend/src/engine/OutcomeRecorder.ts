import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Deployment } from '@aiops/plugin-aiops-common';
import type { EntityIndex } from '@aiops/plugin-aiops-node';
import type {
  AssessmentStore,
  StoredAssessment,
} from '../database/AssessmentStore';
import { decideOutcome } from '../service/outcome';
import type { SuiteReader } from './SuiteReader';

/** An assessment no deploy followed within this long is left alone. */
export const LINK_HORIZON_MS = 7 * 86_400_000;
/** Direct dependents whose incidents are read, one request each. */
const MAX_DIRECT_DEPENDENTS = 50;

const byStart = (a: Deployment, b: Deployment) =>
  Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id);

/**
 * Links assessments to the deployments ingest recorded (same entity, environment and version,
 * started at or after the assessment) and, once a deploy's window has closed, records its
 * outcome by the rule in `decideOutcome`. Runs as a global scheduled task; every step is
 * idempotent (a deployment is linked to one assessment, the first outcome stands), so a rerun
 * or a second replica changes nothing.
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

  /** One pass over the unresolved assessments; resolves to how many outcomes it recorded. */
  async run(): Promise<{ linked: number; recorded: number }> {
    const { store, logger } = this.options;
    const now = (this.options.now ?? Date.now)();
    const pending = await store.unresolved({
      since: new Date(now - LINK_HORIZON_MS).toISOString(),
    });
    let linked = 0;
    let recorded = 0;
    // Newest first: when two assessments precede one deploy, the later one is linked.
    for (const assessment of pending) {
      try {
        const result = await this.resolve(assessment, now);
        linked += result.linked ? 1 : 0;
        recorded += result.recorded ? 1 : 0;
      } catch (error) {
        logger.warn(
          `Deploy-risk outcome of assessment ${
            assessment.id
          } could not be resolved: ${(error as Error).message}`,
        );
      }
    }
    return { linked, recorded };
  }

  private async resolve(assessment: StoredAssessment, now: number) {
    const { store, suite } = this.options;
    const { entityRef, environment, version } = assessment.request;
    const deploys = (
      await suite.deployments(
        entityRef,
        assessment.assessedAt,
        undefined,
        environment,
      )
    ).sort(byStart);
    let deploymentId = assessment.deploymentId;
    let linked = false;
    if (!deploymentId) {
      const deploy = deploys.find(
        d =>
          d.version === version &&
          Date.parse(d.startedAt) >= Date.parse(assessment.assessedAt),
      );
      if (!deploy || (await store.byDeployment(deploy.id)))
        return { linked, recorded: false };
      await store.linkDeployment(assessment.id, deploy.id);
      deploymentId = deploy.id;
      linked = true;
    }
    const index = deploys.findIndex(d => d.id === deploymentId);
    if (index < 0) return { linked, recorded: false };
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
    if (!decideOutcome(evidence, this.options.windowMs, now))
      return { linked, recorded: false };
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
    return { linked, recorded: true };
  }
}
