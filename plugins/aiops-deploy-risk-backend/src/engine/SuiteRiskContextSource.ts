import type { Incident } from '@aiops/plugin-aiops-common';
import type {
  CatalogEntitySummary,
  EntityIndex,
} from '@aiops/plugin-aiops-node';
import type { AssessmentStore } from '../database/AssessmentStore';
import type { RiskContextSource } from '../service/assessor';
import type {
  Dependent,
  OpenIncident,
  PastDeployment,
  RiskPolicy,
} from '../service/types';
import { policyFor, type DeployRiskPluginConfig } from '../policyConfig';
import type { SuiteReader } from './SuiteReader';

/** The blast-radius factor reads at most this many dependents. */
const MAX_DEPENDENTS = 500;
/** Dependencies whose open incidents are read, one request each. */
const MAX_DEPENDENCIES = 20;

const TIER_ANNOTATIONS = ['aiops/tier', 'backstage.io/tier'];
const LIFECYCLE_ANNOTATION = 'aiops/lifecycle';

/**
 * Transitive dependents of `entityRef` from the catalog snapshot, breadth first so each is
 * counted once at its shortest depth. Tier and lifecycle come from annotations: the suite's
 * snapshot keeps annotations and relations, not `spec`.
 */
export function dependentsOf(
  index: Pick<EntityIndex, 'get'>,
  entityRef: string,
): Dependent[] {
  const seen = new Set([entityRef]);
  const result: Dependent[] = [];
  let frontier = [entityRef];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const ref of frontier) {
      for (const dependent of index.get(ref)?.dependencyOf ?? []) {
        if (seen.has(dependent) || result.length >= MAX_DEPENDENTS) continue;
        seen.add(dependent);
        next.push(dependent);
        const summary = index.get(dependent);
        result.push({
          entityRef: dependent,
          depth,
          ...describe(summary),
        });
      }
    }
    frontier = next;
  }
  return result;
}

function describe(summary: CatalogEntitySummary | undefined) {
  const annotations = summary?.annotations ?? {};
  const tier = TIER_ANNOTATIONS.map(a => annotations[a]).find(Boolean);
  const lifecycle = annotations[LIFECYCLE_ANNOTATION];
  return { ...(tier ? { tier } : {}), ...(lifecycle ? { lifecycle } : {}) };
}

function toOpenIncident(
  incident: Incident,
  entityRef: string,
  relation: OpenIncident['relation'],
): OpenIncident {
  return {
    id: incident.id,
    entityRef,
    severity: incident.severity,
    relation,
    title: incident.title,
  };
}

/**
 * The assessment context over the running suite: the catalog snapshot of aiops-node's entity
 * resolver, correlation's open incidents, ingest's deployments with outcomes this plugin
 * recorded, the regression detector's active regressions and the owner's configured policy.
 */
export class SuiteRiskContextSource implements RiskContextSource {
  constructor(
    private readonly options: {
      snapshot: () => Promise<Pick<EntityIndex, 'get'>>;
      suite: SuiteReader;
      store: AssessmentStore;
      config: DeployRiskPluginConfig;
    },
  ) {}

  async entityExists(entityRef: string) {
    return (await this.options.snapshot()).get(entityRef) !== undefined;
  }

  async openIncidents(entityRef: string): Promise<OpenIncident[]> {
    const { suite, snapshot } = this.options;
    const dependencies = ((await snapshot()).get(entityRef)?.dependsOn ?? [])
      .filter(ref => ref !== entityRef)
      .slice(0, MAX_DEPENDENCIES);
    const [own, ...theirs] = await Promise.all([
      suite.openIncidents(entityRef),
      ...dependencies.map(ref => suite.openIncidents(ref)),
    ]);
    const seen = new Set<string>();
    const result: OpenIncident[] = [];
    // An incident is on the entity when the entity is its primary (root-cause) entity; one
    // that merely affects it, rooted elsewhere (redis-cart down, cart failing with it), counts
    // as on a dependency, so only the entity's own critical incident blocks a deploy.
    for (const incident of own) {
      seen.add(incident.id);
      const onEntity = incident.primaryEntityRef === entityRef;
      result.push(
        toOpenIncident(
          incident,
          onEntity ? entityRef : incident.primaryEntityRef ?? entityRef,
          onEntity ? 'entity' : 'dependency',
        ),
      );
    }
    theirs.forEach((incidents, i) => {
      for (const incident of incidents) {
        if (seen.has(incident.id)) continue;
        seen.add(incident.id);
        result.push(toOpenIncident(incident, dependencies[i], 'dependency'));
      }
    });
    return result;
  }

  async deployments(
    entityRef: string,
    environment: string,
    since: string,
    now: string,
  ): Promise<PastDeployment[]> {
    const { suite, store } = this.options;
    const [deploys, assessments] = await Promise.all([
      suite.deployments(entityRef, since, now, environment),
      store.list({ entityRef, environment, since, limit: 1000 }),
    ]);
    const outcomes = new Map<string, PastDeployment['outcome']>();
    for (const a of assessments) {
      if (a.deploymentId && a.outcome) outcomes.set(a.deploymentId, a.outcome);
    }
    // A deploy nobody assessed has no recorded outcome: it counts for cadence, not for the
    // failure rate.
    return deploys
      .filter(d => Date.parse(d.startedAt) <= Date.parse(now))
      .map(d => ({
        id: d.id,
        at: d.startedAt,
        outcome: outcomes.get(d.id) ?? 'pending',
      }));
  }

  async dependents(entityRef: string): Promise<Dependent[]> {
    return dependentsOf(await this.options.snapshot(), entityRef);
  }

  async activeRegressions(entityRef: string) {
    const regressions = await this.options.suite.regressions(entityRef, [
      'active',
    ]);
    return regressions.map(r => ({
      id: r.id,
      metric: r.metric,
      relativeChange: r.relativeChange,
    }));
  }

  async policy(
    entityRef: string,
    from: string,
    to: string,
  ): Promise<RiskPolicy> {
    const owner = (await this.options.snapshot()).get(entityRef)?.owner;
    return policyFor(this.options.config, owner, from, to);
  }
}
