import type {
  Deployment,
  EntityRef,
  Finding,
} from '@aiops/plugin-aiops-common';
import type { TrackedAlert } from '../types';
import { shortName, type TopologyGraph } from '../topology';
import { toIso, toMs } from '../time';

export const DEPLOY_LINKED_RULE = 'deploy-linked@1';

export interface DeploymentLink {
  deployment: Deployment;
  /** The affected entity whose first alert followed the deployment. */
  entityRef: EntityRef;
  /** The alert that started on it. */
  alertId: string;
  /** Milliseconds from the deployment's start to that alert's onset. */
  leadMs: number;
  /** 0 when the deployed entity is the affected one, else the dependency hops between them. */
  hops: number;
  finding: Finding;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m === 1 ? '1 min' : `${m} min`;
}

/**
 * Links deployments to an incident: a deployment of an affected entity, or of an entity an
 * affected entity depends on (within `maxHops`), that started at most `windowMs` before the
 * first alert on that affected entity. A deployment after the onset is not a cause (it may
 * be the fix). Each deployment links once, to the closest affected entity, then the earliest.
 */
export function linkDeployments(
  alerts: TrackedAlert[],
  deployments: Deployment[],
  graph: TopologyGraph,
  options: { windowMs: number; maxHops: number },
): DeploymentLink[] {
  const firstAlert = new Map<EntityRef, TrackedAlert>();
  for (const alert of [...alerts].sort(
    (a, b) => a.onsetAt - b.onsetAt || a.alert.id.localeCompare(b.alert.id),
  )) {
    if (alert.entityRef && !firstAlert.has(alert.entityRef))
      firstAlert.set(alert.entityRef, alert);
  }
  const links: DeploymentLink[] = [];
  for (const deployment of [...deployments].sort((a, b) =>
    a.id.localeCompare(b.id),
  )) {
    if (deployment.resolution.status !== 'resolved') continue;
    const deployed = deployment.resolution.entityRef;
    const startedAt = toMs(deployment.startedAt);
    let best: Omit<DeploymentLink, 'finding'> | undefined;
    for (const [entityRef, alert] of firstAlert) {
      const hops = graph
        .upstreamDistances(entityRef, options.maxHops)
        .get(deployed);
      const leadMs = alert.onsetAt - startedAt;
      if (hops === undefined || leadMs < 0 || leadMs > options.windowMs)
        continue;
      if (
        !best ||
        hops < best.hops ||
        (hops === best.hops && alert.onsetAt < best.leadMs + startedAt)
      ) {
        best = { deployment, entityRef, alertId: alert.alert.id, leadMs, hops };
      }
    }
    if (!best) continue;
    const where =
      best.hops === 0
        ? `the first alert on ${shortName(best.entityRef)}`
        : `the first alert on ${shortName(
            best.entityRef,
          )}, which depends on ${shortName(deployed)}`;
    const status =
      deployment.status === 'succeeded' ? '' : ` (${deployment.status})`;
    // Closer in time and in the graph is more convincing; never certain.
    // A deployment of a dependency that raised no alert itself is a weaker lead.
    let base = 0.5;
    if (best.hops === 0) base = 0.9;
    else if (firstAlert.has(deployed)) base = 0.7;
    const confidence =
      Math.round(base * (1 - (0.5 * best.leadMs) / options.windowMs) * 100) /
      100;
    // A change event (a merged pull request, a rotated secret) says in words what changed.
    const what =
      deployment.source === 'pagerduty-change'
        ? `${shortName(deployed)} changed ("${
            deployment.summary ?? deployment.version
          }") at ${toIso(startedAt)} (change ${deployment.id})`
        : `${shortName(deployed)} ${
            deployment.version
          }${status} was deployed at ${toIso(startedAt)} (deployment ${
            deployment.id
          })`;
    links.push({
      ...best,
      finding: {
        rule: DEPLOY_LINKED_RULE,
        summary: `${what}, ${minutes(best.leadMs)} before ${where}`,
        evidence: [
          { kind: 'deployment', id: deployment.id },
          { kind: 'alert', id: best.alertId },
        ],
        confidence,
      },
    });
  }
  return links;
}
