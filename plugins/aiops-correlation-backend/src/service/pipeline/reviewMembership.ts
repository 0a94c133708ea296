import type { CorrelationStage, Draft } from './stage';
import {
  activeWithEntities,
  entityAdded,
  groupKeyAdded,
  incidentDeactivated,
} from '../activeIncidents';
import { incidentShape } from '../rules/topologyGrouping';
import {
  MEMBERSHIP_REVIEW_RULE,
  reviewMembership as findMoves,
  type MembershipMove,
} from '../rules/membershipReview';
import { toIso } from '../time';

/**
 * After an alert joined or started an incident: moves the recent symptoms that incident now
 * explains better out of other open incidents (`membership-review`), and merges an incident
 * left without alerts into the one that took them. Runs with every event, never deferred to a
 * batch's end, so membership does not depend on how events were batched.
 */
export const reviewMembership: CorrelationStage = {
  name: 'review-membership',
  rule: MEMBERSHIP_REVIEW_RULE,
  run(draft) {
    const target = draft.grouped && draft.state.incidents[draft.grouped];
    if (!target || !draft.context.config.topology.enabled) return 'continue';
    // Only an incident holding an entity that depends on one of the target's can lose an alert
    // to it: look at those, not at every open incident.
    const { graph } = draft.context;
    const maxHops = draft.context.config.topology.maxHops;
    // The target's entities are remembered per membership, so a storm's incident of thousands
    // of alerts is not walked again for every alert that joins it.
    const dependents = new Set<string>();
    for (const ref of incidentShape(target, draft.state.alerts, graph)
      .entities) {
      for (const dependent of graph.downstreamDistances(ref, maxHops).keys())
        dependents.add(dependent);
    }
    const moves = findMoves(
      target,
      activeWithEntities(draft.state, dependents),
      draft.state.alerts,
      draft.context.graph,
      draft.context.config,
      draft.now,
    );
    for (const move of moves) applyMove(draft, move);
    return 'continue';
  },
};

function applyMove(draft: Draft, { alerts, from, to, reason }: MembershipMove) {
  const moving = new Set(alerts.map(a => a.alert.id));
  from.incident = {
    ...from.incident,
    alertIds: from.incident.alertIds.filter(id => !moving.has(id)),
  };
  to.incident = {
    ...to.incident,
    alertIds: [...to.incident.alertIds, ...moving],
  };
  for (const alert of alerts) {
    alert.incidentId = to.incident.id;
    alert.joinedBy = { rule: MEMBERSHIP_REVIEW_RULE, reason };
    alert.movedFrom = from.incident.id;
    // Its muting belonged to the incident it left; the new one decides again when refreshed.
    alert.suppression = undefined;
    to.onsetAt = Math.min(to.onsetAt, alert.onsetAt);
    draft.decisions.push({
      type: 'move-alert',
      alertId: alert.alert.id,
      fromIncidentId: from.incident.id,
      incidentId: to.incident.id,
      rule: MEMBERSHIP_REVIEW_RULE,
      reason,
    });
  }
  // Group keys follow the alerts: a later alert of the moved entity must find the new home.
  for (const alert of alerts) {
    if (!to.groupKeys.includes(alert.groupKey)) {
      to.groupKeys = [...to.groupKeys, alert.groupKey].sort();
      groupKeyAdded(draft.state, to, alert.groupKey);
    }
    entityAdded(draft.state, to, alert.entityRef);
  }
  from.groupKeys = [
    ...new Set(
      from.incident.alertIds.flatMap(id => {
        const key = draft.state.alerts[id]?.groupKey;
        return key ? [key] : [];
      }),
    ),
  ].sort();
  to.lastActivityAt = Math.max(to.lastActivityAt, draft.now);
  draft.touched.add(to.incident.id);
  draft.touched.add(from.incident.id);
  if (from.incident.alertIds.length > 0) return;
  if (from.phase === 'pending' || draft.opened.has(from.incident.id)) {
    // Never announced (held, or opening with this batch): it simply never opens.
    delete draft.state.incidents[from.incident.id];
    incidentDeactivated(draft.state, from);
    draft.touched.delete(from.incident.id);
    draft.opened.delete(from.incident.id);
    return;
  }
  const at = toIso(draft.now);
  from.incident = {
    ...from.incident,
    status: 'resolved',
    resolvedAt: at,
    updatedAt: at,
    mergedInto: to.incident.id,
  };
  incidentDeactivated(draft.state, from);
  draft.decisions.push({
    type: 'merge-incident',
    sourceId: from.incident.id,
    incidentId: to.incident.id,
    at,
    rule: MEMBERSHIP_REVIEW_RULE,
  });
}
