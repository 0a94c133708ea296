import type { EntityRef } from '@aiops/plugin-aiops-common';
import type { CorrelationConfig, IncidentState, TrackedAlert } from '../types';
import type { TopologyGraph } from '../topology';
import { shortName } from '../topology';
import { isFlapping } from './flapping';
import { incidentShape } from './topologyGrouping';
import { isPageLevel, pageAnchorEntities } from './anchors';

/**
 * Version 1: when an alert joins (or starts) an incident, recent symptoms of other open
 * incidents are asked again where they belong (issue [L], failure classes 1 and 3).
 */
export const MEMBERSHIP_REVIEW_RULE = 'membership-review@1';

/** The alerts of one entity that leave `from` for `to`, and why, in words. */
export interface MembershipMove {
  entityRef: EntityRef;
  alerts: TrackedAlert[];
  from: IncidentState;
  to: IncidentState;
  reason: string;
}

/** The fewest hops from `entity` down its dependencies to one of `anchors`, and which. */
function nearest(
  entity: EntityRef,
  anchors: EntityRef[],
  graph: TopologyGraph,
  maxHops: number,
): { anchor: EntityRef; hops: number } | undefined {
  const distances = graph.upstreamDistances(entity, maxHops);
  let best: { anchor: EntityRef; hops: number } | undefined;
  for (const anchor of anchors) {
    const hops = distances.get(anchor);
    if (hops !== undefined && (!best || hops < best.hops))
      best = { anchor, hops };
  }
  return best;
}

/**
 * Which alerts of other open incidents `target` explains better than their own incident does,
 * now that it has changed. Only a symptom moves: the alerts of one entity that
 * - depends (within `maxHops`) on an entity of `target` with a page-level alert when any of
 *   them is page-level, on any of its entities otherwise;
 * - all started within the topology window of now and of `target`'s onset, none flaps, and
 *   none was moved before (an alert moves once, so two incidents never trade it back and forth);
 * - is not where its own incident starts (one of its roots), unless that incident has no
 *   page-level alert: an incident of warnings that a page-level incident explains is absorbed;
 * and `target` is nearer: fewer hops from the entity to `target`'s anchors than to what stays
 * in its incident, or as many hops and more alerts — the order in which topology grouping
 * chooses between incidents, asked again with what has arrived since.
 */
export function reviewMembership(
  target: IncidentState,
  incidents: IncidentState[],
  alerts: Record<string, TrackedAlert>,
  graph: TopologyGraph,
  config: Pick<CorrelationConfig, 'topology' | 'flap'>,
  nowMs: number,
): MembershipMove[] {
  if (!config.topology.enabled) return [];
  if (target.phase !== 'open' || target.incident.status === 'resolved')
    return [];
  const { maxHops, windowMs } = config.topology;
  const targetShape = incidentShape(target, alerts, graph);
  const targetPages = pageAnchorEntities(
    targetShape.pageLevel,
    nowMs,
    config.flap,
  );
  const moves: MembershipMove[] = [];
  for (const source of incidents) {
    if (source === target || source.incident.status === 'resolved') continue;
    if (source.lastActivityAt < nowMs - windowMs) continue;
    const shape = incidentShape(source, alerts, graph);
    const sourcePages = pageAnchorEntities(shape.pageLevel, nowMs, config.flap);
    const absorbed = sourcePages.length === 0;
    if (absorbed && targetPages.length === 0) continue;
    // Most incidents have no entity the target could explain: find out from the (memoized)
    // graph before reading their alerts, so a large incident costs little when nothing moves.
    const candidates = new Set(
      shape.entities.filter(
        e =>
          (absorbed || !shape.roots.includes(e)) &&
          nearest(e, targetShape.entities, graph, maxHops),
      ),
    );
    if (candidates.size === 0) continue;
    const byEntity = new Map<EntityRef, TrackedAlert[]>();
    for (const id of source.incident.alertIds) {
      const alert = alerts[id];
      if (!alert?.entityRef || !candidates.has(alert.entityRef)) continue;
      const list = byEntity.get(alert.entityRef);
      if (list) list.push(alert);
      else byEntity.set(alert.entityRef, [alert]);
    }
    for (const [entityRef, entityAlerts] of byEntity) {
      const recent = entityAlerts.every(
        a =>
          !a.movedFrom &&
          a.onsetAt >= nowMs - windowMs &&
          a.onsetAt >= target.onsetAt - windowMs &&
          !isFlapping(a.transitions, nowMs, config.flap),
      );
      if (!recent) continue;
      const pageLevel = entityAlerts.some(a => isPageLevel(a.alert.severity));
      const toTarget = nearest(
        entityRef,
        pageLevel || absorbed ? targetPages : targetShape.entities,
        graph,
        maxHops,
      );
      if (!toTarget) continue;
      const staying = shape.entities.filter(e => e !== entityRef);
      const stayingAnchors = pageLevel
        ? sourcePages.filter(e => e !== entityRef)
        : staying;
      const toSource = absorbed
        ? undefined
        : nearest(entityRef, stayingAnchors, graph, maxHops);
      const stayingCount =
        source.incident.alertIds.length - entityAlerts.length;
      const nearer =
        !toSource ||
        toTarget.hops < toSource.hops ||
        (toTarget.hops === toSource.hops &&
          target.incident.alertIds.length > stayingCount);
      if (!nearer) continue;
      moves.push({
        entityRef,
        alerts: entityAlerts,
        from: source,
        to: target,
        reason: reasonFor(
          entityRef,
          toTarget,
          toSource,
          stayingCount,
          absorbed,
        ),
      });
    }
  }
  return moves;
}

const hops = (n: number) => `${n} hop${n === 1 ? '' : 's'}`;

/** Why an entity's alerts moved, in words for the timelines of both incidents. */
function reasonFor(
  entityRef: EntityRef,
  toTarget: { anchor: EntityRef; hops: number },
  toSource: { anchor: EntityRef; hops: number } | undefined,
  stayingCount: number,
  absorbed: boolean,
): string {
  const because = `${shortName(entityRef)} depends on ${shortName(
    toTarget.anchor,
  )} (${hops(toTarget.hops)})`;
  if (!toSource) {
    return absorbed
      ? `${because}; its incident had no page-level alert`
      : because;
  }
  const smaller =
    toTarget.hops === toSource.hops
      ? ` in a smaller incident (${stayingCount} alert${
          stayingCount === 1 ? '' : 's'
        })`
      : '';
  return `${because}, nearer than ${shortName(toSource.anchor)} (${hops(
    toSource.hops,
  )})${smaller}`;
}
