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
 * An incident's entities and their roots, remembered per incident: every new alert asks for
 * them of every related incident, and they change only when the membership does (joining
 * replaces the `alertIds` array, and so does an alert keyed to another entity).
 */
interface IncidentShape {
  entities: EntityRef[];
  roots: EntityRef[];
  pageLevel: Map<EntityRef, TrackedAlert[]>;
}

interface RememberedShape extends IncidentShape {
  graph: TopologyGraph;
  /** The membership it describes. */
  alertIds: string[];
  entitySet: Set<EntityRef>;
}

const shapes = new WeakMap<IncidentState, RememberedShape>();

export function incidentShape(
  incident: IncidentState,
  alerts: Record<string, TrackedAlert>,
  graph: TopologyGraph,
): IncidentShape {
  const alertIds = incident.incident.alertIds;
  const known = shapes.get(incident);
  if (known?.graph === graph && known.alertIds === alertIds) return known;
  const shape =
    (known?.graph === graph && grown(known, alertIds, alerts, graph)) ||
    shapeOf(alertIds, alerts, graph);
  shapes.set(incident, shape);
  return shape;
}

function shapeOf(
  alertIds: string[],
  alerts: Record<string, TrackedAlert>,
  graph: TopologyGraph,
): RememberedShape {
  const entitySet = new Set<EntityRef>();
  for (const id of alertIds) {
    const ref = alerts[id]?.entityRef;
    if (ref) entitySet.add(ref);
  }
  const entities = [...entitySet].sort();
  return {
    graph,
    alertIds,
    entitySet,
    entities,
    roots: graph.rootsOf(entities),
    pageLevel: pageLevelAlertsByEntity(alertIds, alerts),
  };
}

/**
 * The shape after alerts joined at the end of the membership, from the one before: a storm's
 * incident takes an alert at a time, and deriving its shape anew each time made every join
 * cost the size of the incident (a storm, the square of it). Anything but an append (a move,
 * a re-keyed alert) is derived anew. `shapeOf` gives the same result; a test compares them.
 */
function grown(
  known: RememberedShape,
  alertIds: string[],
  alerts: Record<string, TrackedAlert>,
  graph: TopologyGraph,
): RememberedShape | undefined {
  const before = known.alertIds;
  if (alertIds.length <= before.length) return undefined;
  for (let i = 0; i < before.length; i++) {
    if (alertIds[i] !== before[i]) return undefined;
  }
  const joined = alertIds.slice(before.length).map(id => alerts[id]);
  const newEntities = joined
    .map(alert => alert?.entityRef)
    .filter((ref): ref is EntityRef => !!ref && !known.entitySet.has(ref));
  const entitySet = newEntities.length
    ? new Set([...known.entitySet, ...newEntities])
    : known.entitySet;
  const entities = newEntities.length ? [...entitySet].sort() : known.entities;
  const pageLevel = new Map(known.pageLevel);
  for (const [ref, list] of pageLevelAlertsByEntity(
    alertIds.slice(before.length),
    alerts,
  )) {
    pageLevel.set(ref, [...(pageLevel.get(ref) ?? []), ...list]);
  }
  return {
    graph,
    alertIds,
    entitySet,
    entities,
    roots: newEntities.length ? graph.rootsOf(entities) : known.roots,
    pageLevel,
  };
}

/** The shape as `incidentShape` would derive it with nothing remembered (for tests). */
export function freshIncidentShape(
  incident: IncidentState,
  alerts: Record<string, TrackedAlert>,
  graph: TopologyGraph,
): IncidentShape {
  const { entities, roots, pageLevel } = shapeOf(
    incident.incident.alertIds,
    alerts,
    graph,
  );
  return { entities, roots, pageLevel };
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
