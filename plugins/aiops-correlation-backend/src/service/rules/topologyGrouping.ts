import type { EntityRef } from '@aiops/plugin-aiops-common';
import type { CorrelationConfig, IncidentState, TrackedAlert } from '../types';
import type { Relation, TopologyGraph } from '../topology';
import { pageAnchorEntities, pageLevelAlertsByEntity } from './anchors';

/** Version 2: a page-level alert joins only through entities with page-level alerts. */
export const TOPOLOGY_GROUPING_RULE = 'topology-grouping@2';

/** Who is joining: a page-level alert may only be anchored by page-level alerts. */
export interface Joiner {
  pageLevel: boolean;
  nowMs: number;
  flap: CorrelationConfig['flap'];
}

export interface TopologyMatch {
  incident: IncidentState;
  /** The incident entity the alert's entity is related to, and how. */
  anchor: EntityRef;
  relation: Relation;
}

export function incidentEntities(
  incident: IncidentState,
  alerts: Record<string, TrackedAlert>,
): EntityRef[] {
  const refs = incident.incident.alertIds
    .map(id => alerts[id]?.entityRef)
    .filter((ref): ref is EntityRef => !!ref);
  return [...new Set(refs)].sort();
}

/**
 * An incident's entities and their roots, remembered per membership: every new alert asks for
 * them of every active incident, and they change only when the membership does (joining
 * replaces the `alertIds` array, and so does an alert keyed to another entity).
 */
interface IncidentShape {
  entities: EntityRef[];
  roots: EntityRef[];
  pageLevel: Map<EntityRef, TrackedAlert[]>;
}

const shapes = new WeakMap<TopologyGraph, WeakMap<string[], IncidentShape>>();

export function incidentShape(
  incident: IncidentState,
  alerts: Record<string, TrackedAlert>,
  graph: TopologyGraph,
) {
  let byMembership = shapes.get(graph);
  if (!byMembership) {
    byMembership = new WeakMap();
    shapes.set(graph, byMembership);
  }
  let shape = byMembership.get(incident.incident.alertIds);
  if (!shape) {
    const entities = incidentEntities(incident, alerts);
    shape = {
      entities,
      roots: graph.rootsOf(entities),
      pageLevel: pageLevelAlertsByEntity(incident.incident.alertIds, alerts),
    };
    byMembership.set(incident.incident.alertIds, shape);
  }
  return shape;
}

/**
 * Finds the incident an alert on `entityRef` belongs to through the topology. It joins when
 * - its entity depends (within `maxHops`) on any entity of the incident: it is a symptom
 *   downstream of the failure; or
 * - it is related to one of the incident's roots (upstream-most entities): it depends on
 *   the root, the root depends on it (it is the new root), or both depend on a shared
 *   dependency such as a Resource.
 * Relating only to roots keeps unrelated failures apart: a frontend symptom that depends on
 * both the ad and the cart incident does not chain them together.
 * Candidates must be active: the alert starts within `windowMs` of the incident's activity.
 * Fewest hops wins, then the larger incident, then the older one.
 *
 * A page-level joiner (`joiner.pageLevel`) relates only to the incident's entities that have a
 * page-level, non-flapping alert, and to their roots: an incident of warnings, info or flapping
 * alerts never anchors a page (version 2).
 */
export function findTopologyIncident(
  entityRef: EntityRef,
  onsetAt: number,
  incidents: IncidentState[],
  alerts: Record<string, TrackedAlert>,
  graph: TopologyGraph,
  config: CorrelationConfig['topology'],
  joiner?: Joiner,
): TopologyMatch | undefined {
  if (!config.enabled) return undefined;
  const options = {
    maxHops: config.maxHops,
    sameSystemHops: config.sameSystem ? config.maxHops : undefined,
  };
  const upstream = graph.upstreamDistances(entityRef, config.maxHops);
  const matches: TopologyMatch[] = [];
  for (const incident of incidents) {
    if (onsetAt > incident.lastActivityAt + config.windowMs) continue;
    if (onsetAt < incident.onsetAt - config.windowMs) continue;
    const shape = incidentShape(incident, alerts, graph);
    let { entities, roots } = shape;
    if (joiner?.pageLevel) {
      entities = pageAnchorEntities(shape.pageLevel, joiner.nowMs, joiner.flap);
      if (entities.length === 0) continue;
      roots =
        entities.length === shape.entities.length
          ? shape.roots
          : graph.rootsOf(entities);
    }
    let best: TopologyMatch | undefined;
    const consider = (anchor: EntityRef, relation: Relation | undefined) => {
      if (relation && (!best || relation.hops < best.relation.hops)) {
        best = { incident, anchor, relation };
      }
    };
    for (const member of entities) {
      const hops = upstream.get(member);
      if (hops !== undefined) {
        consider(member, { kind: hops === 0 ? 'same' : 'depends-on', hops });
      }
    }
    for (const root of roots) {
      consider(root, graph.relation(entityRef, root, options));
    }
    if (best) matches.push(best);
  }
  return matches.sort(
    (a, b) =>
      a.relation.hops - b.relation.hops ||
      b.incident.incident.alertIds.length -
        a.incident.incident.alertIds.length ||
      a.incident.onsetAt - b.incident.onsetAt ||
      a.incident.incident.id.localeCompare(b.incident.incident.id),
  )[0];
}
