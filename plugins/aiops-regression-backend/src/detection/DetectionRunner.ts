import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Deployment } from '@aiops/plugin-aiops-common';
import type {
  CatalogEntitySummary,
  MetricsProvider,
} from '@aiops/plugin-aiops-node';
import type { RegressionConfig } from '../config';
import type {
  EntityFailure,
  RegressionCandidate,
  RegressionStore,
  StoredRegression,
} from '../database/RegressionStore';
import { metricSetOf, type MetricDefinition } from '../metrics';
import {
  changePointCandidates,
  deployCandidates,
  driftCandidate,
  recovered,
  type DeployMarker,
  type Point,
} from './candidates';

const DAY_MS = 86_400_000;
/** Entities scanned at once: each reads a few series; more would crowd the provider. */
const CONCURRENCY = 4;
/** ingest's `GET /deployments` takes at most 50 entity refs a read. */
const DEPLOYMENT_BATCH = 50;

export interface DetectionRunnerOptions {
  store: RegressionStore;
  /** Asked in order; the first that supports an entity's metric reads it. */
  providers: MetricsProvider[];
  /** The Components to scan (the catalog snapshot). */
  entities(): Promise<CatalogEntitySummary[]>;
  /** Deployments of these entities since `from` (ingest's feed). */
  deployments(entityRefs: string[], from: string): Promise<Deployment[]>;
  /** Announces a regression stored for the first time. */
  publish(regression: StoredRegression): Promise<void>;
  config: RegressionConfig;
  logger: LoggerService;
  now?: () => number;
}

export interface RunSummary {
  entities: number;
  raised: number;
  /** Entities with at least one failure. */
  failed: number;
}

/** When the deploy's new version was live: finished if it says so, else started. */
export function deployMarker(deployment: Deployment): DeployMarker {
  return {
    id: deployment.id,
    at: Date.parse(deployment.finishedAt ?? deployment.startedAt),
  };
}

const message = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * One detection run: every Component, each metric of its set over the rolling window, through
 * the change-point search, the per-deploy comparison of the deploys ingest recorded and the
 * seasonal drift; new regressions are stored and announced. A metric that cannot be read (a
 * failing query, no provider, no data) is recorded on the entity's run record and skipped:
 * one broken service never stops the run.
 */
export class DetectionRunner {
  private readonly now: () => number;

  constructor(private readonly options: DetectionRunnerOptions) {
    this.now = options.now ?? Date.now;
  }

  async run(): Promise<RunSummary> {
    const { config, logger } = this.options;
    const now = this.now();
    const entities = (await this.options.entities()).filter(
      e => e.kind === 'component',
    );
    const deployments = await this.deploymentsOf(
      entities.map(e => e.entityRef),
      now - config.windowMs,
    );
    const summary: RunSummary = {
      entities: entities.length,
      raised: 0,
      failed: 0,
    };
    let next = 0;
    const worker = async () => {
      while (next < entities.length) {
        const entity = entities[next++];
        const { raised, failures } = await this.scanEntity(
          entity,
          deployments.get(entity.entityRef),
          now,
        );
        summary.raised += raised;
        if (failures.length) summary.failed++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    logger.info(
      `Regression run: ${summary.entities} components, ${summary.raised} new regressions, ${summary.failed} with failures`,
    );
    return summary;
  }

  /** Deploy markers by entity; a batch that cannot be read is an error for its entities. */
  private async deploymentsOf(
    entityRefs: string[],
    from: number,
  ): Promise<Map<string, DeployMarker[] | Error>> {
    const out = new Map<string, DeployMarker[] | Error>();
    for (let i = 0; i < entityRefs.length; i += DEPLOYMENT_BATCH) {
      const batch = entityRefs.slice(i, i + DEPLOYMENT_BATCH);
      try {
        const items = await this.options.deployments(
          batch,
          new Date(from).toISOString(),
        );
        for (const ref of batch) out.set(ref, []);
        for (const d of items) {
          if (d.resolution.status !== 'resolved' || d.status !== 'succeeded')
            continue;
          (out.get(d.resolution.entityRef) as DeployMarker[] | undefined)?.push(
            deployMarker(d),
          );
        }
      } catch (error) {
        const failure = new Error(
          `deployments could not be read: ${message(error)}`,
        );
        for (const ref of batch) out.set(ref, failure);
      }
    }
    return out;
  }

  /** The first provider that has the metric for the entity. */
  async providerFor(
    entityRef: string,
    metric: string,
  ): Promise<MetricsProvider | undefined> {
    for (const provider of this.options.providers) {
      if (await provider.supports(entityRef, metric)) return provider;
    }
    return undefined;
  }

  /** The metric's points, from the first provider that has it; throws saying why not. */
  async read(
    entityRef: string,
    metric: string,
    from: number,
    to: number,
    stepMs: number,
  ): Promise<Point[]> {
    const provider = await this.providerFor(entityRef, metric);
    if (!provider) throw new Error(`no metrics provider has ${metric}`);
    const series = await provider.query({
      entityRef,
      metric,
      from,
      to,
      stepMs,
    });
    return [...(series?.points ?? [])].sort((a, b) => a.at - b.at);
  }

  async scanEntity(
    entity: CatalogEntitySummary,
    deployments: DeployMarker[] | Error | undefined,
    now: number,
  ): Promise<{ raised: number; failures: EntityFailure[] }> {
    const { config, store } = this.options;
    const failures: EntityFailure[] = [];
    const { metrics, unknown } = metricSetOf(
      entity.annotations,
      config.metrics,
    );
    for (const name of unknown)
      failures.push({
        metric: name,
        reason: 'unknown metric in aiops/regression-metrics',
      });
    let deploys: DeployMarker[] = [];
    if (deployments instanceof Error)
      failures.push({ metric: '*', reason: deployments.message });
    else deploys = deployments ?? [];

    const from = now - config.windowMs;
    const series: Array<{ metric: MetricDefinition; points: Point[] }> = [];
    for (const metric of metrics) {
      try {
        const points = await this.read(
          entity.entityRef,
          metric.name,
          from,
          now,
          config.stepMs,
        );
        if (points.length === 0) {
          failures.push({
            metric: metric.name,
            reason: 'no data in the window',
          });
          continue;
        }
        series.push({ metric, points });
      } catch (error) {
        failures.push({ metric: metric.name, reason: message(error) });
      }
    }

    const candidates: Array<{
      candidate: RegressionCandidate;
      toleranceMs: number;
    }> = [];
    const tolerance = config.dedupToleranceMs;
    // Deploy comparisons first: they name their deploy, and a change point of the same change
    // then finds it stored.
    for (const deploy of deploys) {
      if (deploy.at + config.deploy.afterMs > now || deploy.at < from) continue;
      for (const candidate of deployCandidates(
        entity.entityRef,
        deploy,
        series,
        config.deploy,
      ))
        candidates.push({ candidate, toleranceMs: tolerance });
    }
    for (const { metric, points } of series) {
      for (const candidate of changePointCandidates(
        entity.entityRef,
        metric,
        points,
        deploys,
        {
          ...config.changePoints,
          deployLinkMs: tolerance,
        },
      ))
        candidates.push({ candidate, toleranceMs: tolerance });
    }
    if (config.drift.enabled) {
      for (const metric of metrics.filter(m =>
        series.some(s => s.metric === m),
      )) {
        try {
          const candidate = await this.drift(entity.entityRef, metric, now);
          // The recent window moves with every run: a drift is the same one for a day.
          if (candidate) candidates.push({ candidate, toleranceMs: DAY_MS });
        } catch (error) {
          failures.push({
            metric: metric.name,
            reason: `drift: ${message(error)}`,
          });
        }
      }
    }

    await this.resolveRecovered(entity.entityRef, series, now);

    let raised = 0;
    for (const { candidate, toleranceMs } of candidates) {
      const { regression, created } = await store.raise(candidate, {
        toleranceMs,
        now: new Date(now),
      });
      if (!created) continue;
      raised++;
      try {
        await this.options.publish(regression);
      } catch (error) {
        this.options.logger.warn(
          `Regression ${
            regression.id
          } was stored but could not be announced: ${message(error)}`,
        );
      }
    }
    await store.recordRun({
      entityRef: entity.entityRef,
      lastRunAt: new Date(now).toISOString(),
      ok: failures.length === 0,
      failures,
      regressionsRaised: raised,
    });
    return { raised, failures };
  }

  /**
   * Active and acknowledged regressions whose metric is back where it was over the last
   * `deploy.after` window become `resolved`; dismissed ones stay as people left them.
   */
  private async resolveRecovered(
    entityRef: string,
    series: Array<{ metric: MetricDefinition; points: Point[] }>,
    now: number,
  ) {
    const { store, config } = this.options;
    const open = await store.list({
      entityRef,
      status: ['active', 'acknowledged'],
    });
    const recentFrom = now - config.deploy.afterMs;
    for (const regression of open) {
      const read = series.find(s => s.metric.name === regression.metric);
      if (read && recovered(regression, read.metric, read.points, recentFrom))
        await store.setStatus(regression.id, 'resolved', {
          by: 'aiops-regression',
          now: new Date(now),
        });
    }
  }

  private async drift(
    entityRef: string,
    metric: MetricDefinition,
    now: number,
  ) {
    const { drift } = this.options.config;
    const period = Math.round(DAY_MS / drift.stepMs);
    const recent = Math.max(2, Math.round(drift.recentMs / drift.stepMs));
    // The grid ends at the last whole step, so the same positions are the same hours.
    const end = Math.floor(now / drift.stepMs) * drift.stepMs;
    const from = end - (recent + period * drift.seasons) * drift.stepMs;
    const points = await this.read(
      entityRef,
      metric.name,
      from,
      end,
      drift.stepMs,
    );
    return driftCandidate(entityRef, metric, points, {
      from,
      stepMs: drift.stepMs,
      period,
      recent,
      seasons: drift.seasons,
    });
  }
}
