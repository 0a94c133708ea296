import { touchNow, type CorrelationStage, type Draft } from './pipeline';
import {
  activeIncidents,
  activeWithEntities,
  activeWithGroupKey,
  entityAdded,
  groupKeyAdded,
  incidentActivated,
  incidentDeactivated,
  openUnownedCount,
  pendingIncidents,
} from './activeIncidents';
import {
  overflowGroupKey,
  overflows,
  UNOWNED_OVERFLOW_RULE,
} from './rules/unownedOverflow';
import { severityRank, type Alert } from '@aiops/plugin-aiops-common';
import {
  CORRELATED_ALERT_FIELDS,
  type CorrelatedAlert,
  type IncidentState,
  type TrackedAlert,
} from './types';
import { toIso, toMs } from './time';
import { createGroup, refreshIncident, trackedAlertsOf } from './incidents';
import {
  ALREADY_RESOLVED_RULE,
  arrivedResolved,
} from './rules/alreadyResolved';
import { matchingSilence, SILENCE_RULE } from './rules/silences';
import { releaseEndedSilences } from './rules/silenceEnd';
import { FLAP_RULE, recordTransition } from './rules/flapping';
import { CLOCK_SKEW_RULE, senderOnset, withOnset } from './rules/clockSkew';
import {
  findGroupIncident,
  GROUP_KEY_RULE,
  groupKeyOf,
} from './rules/groupKey';
import {
  findTopologyIncident,
  TOPOLOGY_GROUPING_RULE,
} from './rules/topologyGrouping';
import { gateStatus, OPEN_GATE_RULE } from './rules/openGate';
import { isPageLevel } from './rules/anchors';
import { AUTO_RESOLVE_RULE, readyToResolve } from './rules/autoResolve';
import { DEPLOY_LINKED_RULE } from './rules/deployLinked';
import { INHIBITION_RULE } from './rules/inhibition';
import { OBSERVED_TOPOLOGY_RULE } from './rules/observedTopology';
import { ROOT_CAUSE_RULE } from './rootCause';
import { REGRESSION_LINKED_RULE } from './rules/regressionLinked';
import { followLifecycle, MANUAL_MERGE_RULE } from './lifecycle';
import { reviewMembership } from './reviewMembership';
import { MEMBERSHIP_REVIEW_RULE } from './rules/membershipReview';

/** Every rule version the pipeline applies; stored on each incident for reproducibility. */
export const ruleVersions: string[] = [
  ALREADY_RESOLVED_RULE,
  AUTO_RESOLVE_RULE,
  CLOCK_SKEW_RULE,
  DEPLOY_LINKED_RULE,
  FLAP_RULE,
  GROUP_KEY_RULE,
  INHIBITION_RULE,
  MANUAL_MERGE_RULE,
  MEMBERSHIP_REVIEW_RULE,
  OBSERVED_TOPOLOGY_RULE,
  OPEN_GATE_RULE,
  REGRESSION_LINKED_RULE,
  ROOT_CAUSE_RULE,
  SILENCE_RULE,
  TOPOLOGY_GROUPING_RULE,
  UNOWNED_OVERFLOW_RULE,
].sort();

const PRUNE_INTERVAL_MS = 60_000;

function correlatedAlert(alert: Alert): CorrelatedAlert {
  const kept: Partial<Record<keyof CorrelatedAlert, unknown>> = {};
  for (const field of CORRELATED_ALERT_FIELDS) {
    if (alert[field] !== undefined) kept[field] = alert[field];
  }
  return kept as CorrelatedAlert;
}

/** The alert being correlated: `draft.subject` when set, else the event's (set by `trackAlert`). */
function current(draft: Draft): TrackedAlert | undefined {
  if (draft.subject) return draft.state.alerts[draft.subject];
  return draft.event.type === 'alert'
    ? draft.state.alerts[draft.event.alert.id]
    : undefined;
}

export const ignoreAlreadyResolved: CorrelationStage = {
  name: 'ignore-already-resolved',
  rule: ALREADY_RESOLVED_RULE,
  run(draft) {
    if (draft.event.type !== 'alert') return 'continue';
    const { alert } = draft.event;
    if (!arrivedResolved(alert, draft.state.alerts[alert.id]))
      return 'continue';
    draft.decisions.push({
      type: 'ignore',
      alertId: alert.id,
      reason: 'arrived-resolved',
      rule: ALREADY_RESOLVED_RULE,
    });
    return 'stop';
  },
};

/**
 * Records the alert's state and its status changes (for flap detection). A resolve or a
 * repeat delivery ends here; a new alert, or one firing again after its incident resolved,
 * goes on to be grouped.
 */
export const trackAlert: CorrelationStage = {
  name: 'track-alert',
  rule: FLAP_RULE,
  run(draft) {
    if (draft.event.type !== 'alert') return 'continue';
    const { alert } = draft.event;
    const { config } = draft.context;
    const previous = draft.state.alerts[alert.id];
    const entityRef =
      alert.resolution.status === 'resolved'
        ? alert.resolution.entityRef
        : undefined;
    const onset = senderOnset(alert.startsAt, draft.now);
    if (!previous) {
      draft.state.alerts[alert.id] = {
        alert: withOnset(correlatedAlert(alert), onset),
        entityRef,
        groupKey: groupKeyOf(alert, config.groupBy),
        onsetAt: onset.onsetAt,
        status: 'firing',
        transitions: [],
        ...(onset.skewMs !== undefined && { clockSkewMs: onset.skewMs }),
      };
      return 'continue';
    }
    const changed = previous.status !== alert.status;
    if (alert.status === 'firing' && changed) {
      previous.alert = withOnset(correlatedAlert(alert), onset);
      if (onset.skewMs !== undefined) previous.clockSkewMs = onset.skewMs;
    } else {
      // The onset of the episode already tracked stands; a resend's times may have moved on.
      previous.alert = {
        ...correlatedAlert(alert),
        startsAt: previous.alert.startsAt,
      };
    }
    if (previous.entityRef !== entityRef && previous.incidentId) {
      // Keyed to another entity now (the catalog changed): the incident's shape changes too.
      const owner = draft.state.incidents[previous.incidentId];
      if (owner) {
        owner.incident = {
          ...owner.incident,
          alertIds: [...owner.incident.alertIds],
        };
      }
    }
    previous.entityRef = entityRef;
    if (changed) {
      previous.transitions = recordTransition(
        previous.transitions,
        draft.now,
        config.flap.windowMs,
      );
    }
    let incident = previous.incidentId
      ? draft.state.incidents[previous.incidentId]
      : undefined;
    const resolvedAt = incident?.incident.resolvedAt;
    if (resolvedAt && toMs(resolvedAt) <= draft.now - config.flap.windowMs) {
      // Resolved longer ago than a flap: kept only until housekeeping prunes it.
      incident = undefined;
    }
    if (alert.status === 'resolved') {
      if (changed) {
        previous.status = 'resolved';
        previous.resolvedAt = alert.endsAt
          ? Math.min(toMs(alert.endsAt), draft.now)
          : draft.now;
        if (incident) draft.touched.add(incident.incident.id);
      }
      return 'stop';
    }
    if (!changed)
      return previous.suppression?.reason === 'silenced' ? 'continue' : 'stop';
    previous.status = 'firing';
    previous.resolvedAt = undefined;
    previous.onsetAt = onset.onsetAt;
    if (incident?.incident.status === 'resolved') {
      // Fired again soon after its incident resolved itself: that is the same problem (a
      // flapping alert), so the incident reopens instead of paging anew.
      const at = toIso(draft.now);
      incident.incident = {
        ...incident.incident,
        status: 'open',
        updatedAt: at,
      };
      delete incident.incident.resolvedAt;
      incidentActivated(draft.state, incident);
      draft.decisions.push({
        type: 'reopen-incident',
        incidentId: incident.incident.id,
        alertId: alert.id,
        at,
        rule: FLAP_RULE,
      });
    }
    if (incident) {
      incident.lastActivityAt = Math.max(incident.lastActivityAt, draft.now);
      draft.touched.add(incident.incident.id);
      return 'stop';
    }
    previous.incidentId = undefined;
    return 'continue';
  },
};

/** A firing alert inside an active silence (maintenance window) is muted and opens nothing. */
export const applySilences: CorrelationStage = {
  name: 'apply-silences',
  rule: SILENCE_RULE,
  run(draft) {
    const alert = current(draft);
    if (!alert) return 'continue';
    const silence = matchingSilence(
      alert.alert,
      alert.entityRef,
      draft.context.silences,
      draft.now,
    );
    if (!silence) {
      if (alert.suppression?.reason === 'silenced')
        alert.suppression = undefined;
      return 'continue';
    }
    if (alert.suppression?.reason !== 'silenced') {
      alert.suppression = {
        reason: 'silenced',
        by: { silenceId: silence.id },
        rule: SILENCE_RULE,
      };
      draft.decisions.push({
        type: 'suppress-alert',
        alertId: alert.alert.id,
        suppression: alert.suppression,
      });
    }
    return 'stop';
  },
};

function join(
  draft: Draft,
  alert: TrackedAlert,
  inc: IncidentState,
  rule: string,
  reason: string,
) {
  alert.incidentId = inc.incident.id;
  alert.joinedBy = { rule, reason };
  draft.grouped = inc.incident.id;
  inc.incident = {
    ...inc.incident,
    alertIds: [...inc.incident.alertIds, alert.alert.id],
  };
  if (!inc.groupKeys.includes(alert.groupKey)) {
    inc.groupKeys = [...inc.groupKeys, alert.groupKey].sort();
    groupKeyAdded(draft.state, inc, alert.groupKey);
  }
  entityAdded(draft.state, inc, alert.entityRef);
  inc.onsetAt = Math.min(inc.onsetAt, alert.onsetAt);
  inc.lastActivityAt = Math.max(inc.lastActivityAt, alert.onsetAt, draft.now);
  draft.touched.add(inc.incident.id);
  // An incident opening in this batch is announced whole, with this alert, when refreshed.
  if (inc.phase === 'open' && !draft.opened.has(inc.incident.id)) {
    draft.decisions.push({
      type: 'attach-alert',
      incidentId: inc.incident.id,
      alertId: alert.alert.id,
      rule,
      reason,
    });
  }
}

/** Same group key (same entity by default) within the group window: join that incident. */
export const groupByKey: CorrelationStage = {
  name: 'group-by-key',
  rule: GROUP_KEY_RULE,
  run(draft) {
    const alert = current(draft);
    if (!alert) return 'continue';
    const inc = findGroupIncident(
      activeWithGroupKey(draft.state, alert.groupKey),
      draft.state.alerts,
      alert.groupKey,
      alert.onsetAt,
      draft.context.config.groupWindowMs,
    );
    if (!inc) return 'continue';
    join(draft, alert, inc, GROUP_KEY_RULE, `same group key ${alert.groupKey}`);
    return 'stop';
  },
};

/** Related through the catalog (or observed calls): join that incident. */
export const groupByTopology: CorrelationStage = {
  name: 'group-by-topology',
  rule: TOPOLOGY_GROUPING_RULE,
  run(draft) {
    const alert = current(draft);
    if (!alert?.entityRef) return 'continue';
    const { topology } = draft.context.config;
    if (!topology.enabled) return 'continue';
    // Only incidents holding an entity the topology relates to this one can match.
    const candidates = activeWithEntities(
      draft.state,
      draft.context.graph.near(alert.entityRef, {
        maxHops: topology.maxHops,
        sameSystemHops: topology.sameSystem ? topology.maxHops : undefined,
      }),
    );
    const match = findTopologyIncident(
      alert.entityRef,
      alert.onsetAt,
      candidates,
      draft.state.alerts,
      draft.context.graph,
      draft.context.config.topology,
      {
        pageLevel: isPageLevel(alert.alert.severity),
        nowMs: draft.now,
        flap: draft.context.config.flap,
      },
    );
    if (!match) return 'continue';
    const { kind, hops, via } = match.relation;
    join(
      draft,
      alert,
      match.incident,
      TOPOLOGY_GROUPING_RULE,
      `${kind}${via ? ` ${via}` : ''} ${match.anchor} (${hops} hop${
        hops === 1 ? '' : 's'
      })`,
    );
    return 'stop';
  },
};

/** Nothing to join: the alert starts a new group, held until the gate opens it. */
export const startGroup: CorrelationStage = {
  name: 'start-group',
  rule: GROUP_KEY_RULE,
  run(draft) {
    const alert = current(draft);
    if (!alert) return 'continue';
    if (
      overflows(
        alert,
        openUnownedCount(draft.state),
        draft.context.config.unowned.maxOpenIncidents,
      )
    ) {
      alert.groupKey = overflowGroupKey(alert);
      const overflow = findGroupIncident(
        activeWithGroupKey(draft.state, alert.groupKey),
        draft.state.alerts,
        alert.groupKey,
        alert.onsetAt,
        draft.context.config.groupWindowMs,
      );
      if (overflow) {
        join(
          draft,
          alert,
          overflow,
          UNOWNED_OVERFLOW_RULE,
          `${draft.context.config.unowned.maxOpenIncidents} unowned incidents are open: grouped with the other unowned alerts of ${alert.alert.source}`,
        );
        return 'stop';
      }
    }
    const inc = createGroup(alert, GROUP_KEY_RULE, draft.now, ruleVersions);
    // Idempotent on the correlation key: a replayed alert finds its group again.
    const existing = draft.state.incidents[inc.incident.id];
    if (existing) {
      join(
        draft,
        alert,
        existing,
        GROUP_KEY_RULE,
        `same group key ${alert.groupKey}`,
      );
      return 'stop';
    }
    alert.incidentId = inc.incident.id;
    alert.joinedBy = {
      rule: GROUP_KEY_RULE,
      reason: `first alert of group ${alert.groupKey}`,
    };
    draft.grouped = inc.incident.id;
    draft.state.incidents[inc.incident.id] = inc;
    incidentActivated(draft.state, inc);
    draft.touched.add(inc.incident.id);
    return 'stop';
  },
};

/**
 * Remembers deployments; every open incident the deployment could be linked to (it holds the
 * deployed entity or something depending on it within `maxHops`) is re-checked.
 */
export const recordDeployment: CorrelationStage = {
  name: 'record-deployment',
  rule: DEPLOY_LINKED_RULE,
  run(draft) {
    if (draft.event.type !== 'deployment') return 'continue';
    const { deployment } = draft.event;
    draft.state.deployments = [
      ...draft.state.deployments.filter(d => d.id !== deployment.id),
      deployment,
    ].sort(
      (a, b) =>
        toMs(a.startedAt) - toMs(b.startedAt) || a.id.localeCompare(b.id),
    );
    if (deployment.resolution.status === 'resolved') {
      const dependents = draft.context.graph.downstreamDistances(
        deployment.resolution.entityRef,
        draft.context.config.topology.maxHops,
      );
      for (const inc of activeWithEntities(draft.state, dependents.keys()))
        touchNow(draft, inc);
    }
    return 'stop';
  },
};

/** Remembers regressions; incidents of the regressed entity are re-checked for the link. */
export const recordRegression: CorrelationStage = {
  name: 'record-regression',
  rule: REGRESSION_LINKED_RULE,
  run(draft) {
    if (draft.event.type !== 'regression') return 'continue';
    const { regression } = draft.event;
    draft.state.regressions = [
      ...(draft.state.regressions ?? []).filter(r => r.id !== regression.id),
      regression,
    ];
    for (const inc of activeWithEntities(draft.state, [regression.entityRef])) {
      touchNow(draft, inc);
    }
    return 'stop';
  },
};

/** Opens held groups whose group_wait, minimum count and duration are met. */
export const openGate: CorrelationStage = {
  name: 'open-gate',
  rule: OPEN_GATE_RULE,
  run(draft) {
    const alert = current(draft);
    for (const inc of pendingIncidents(draft.state)) {
      const tracked = trackedAlertsOf(inc, draft.state.alerts);
      if (tracked.every(t => t.status === 'resolved')) {
        // Over before it was worth an incident.
        for (const t of tracked) {
          draft.decisions.push({
            type: 'ignore',
            alertId: t.alert.id,
            reason: 'resolved-while-held',
            rule: OPEN_GATE_RULE,
          });
          delete draft.state.alerts[t.alert.id];
        }
        delete draft.state.incidents[inc.incident.id];
        incidentDeactivated(draft.state, inc);
        draft.touched.delete(inc.incident.id);
        continue;
      }
      const gate = gateStatus(
        inc,
        draft.state.alerts,
        inc.createdAt,
        draft.now,
        draft.context.config,
      );
      if (gate.open) {
        inc.phase = 'open';
        draft.opened.set(inc.incident.id, draft.now);
        draft.touched.add(inc.incident.id);
      } else if (
        alert &&
        alert.incidentId === inc.incident.id &&
        alert.status === 'firing'
      ) {
        draft.decisions.push({
          type: 'hold',
          alertId: alert.alert.id,
          incidentId: inc.incident.id,
          reason: gate.reason,
          until: gate.until !== undefined ? toIso(gate.until) : undefined,
        });
      }
    }
    return 'continue';
  },
};

/**
 * Re-derives every incident the event (or batch) touched, in a stable order; returns their
 * ids. With `minIntervalMs`, an open incident re-derived less than that long ago (event time)
 * waits, marked due, unless an alert more severe than the incident joined it: a storm's large
 * incidents are then re-ranked a few times a second at most instead of with every batch, while
 * membership, openings and severity raises are not delayed (title, ranking, findings and the
 * muting of new symptoms wait up to the interval). Due incidents are re-derived by the first
 * batch (or tick) after their interval, or when they resolve.
 */
export function refreshTouched(draft: Draft, minIntervalMs = 0): string[] {
  const ids = new Set(draft.touched);
  if (minIntervalMs > 0) {
    for (const inc of activeIncidents(draft.state)) {
      if (inc.refreshDue) ids.add(inc.incident.id);
    }
  }
  const refreshed: string[] = [];
  for (const id of [...ids].sort()) {
    const inc = draft.state.incidents[id];
    if (!inc) continue;
    const openedAt = draft.opened.get(id);
    if (openedAt === undefined && mayWait(inc, draft, minIntervalMs)) {
      inc.refreshDue = true;
      continue;
    }
    refreshIncident(draft, inc, openedAt);
    inc.refreshedAt = draft.now;
    delete inc.refreshDue;
    refreshed.push(id);
  }
  return refreshed;
}

/** An open incident re-derived less than `minIntervalMs` ago whose severity cannot rise. */
function mayWait(inc: IncidentState, draft: Draft, minIntervalMs: number) {
  if (inc.phase !== 'open' || inc.incident.status === 'resolved') return false;
  if (inc.refreshedAt === undefined) return false;
  // An event time before the last refresh (a sender's clock ahead) never holds one back.
  const age = draft.now - inc.refreshedAt;
  return age >= 0 && age < minIntervalMs && !hasMoreSevereAlert(inc, draft);
}

/** Severity is derived from every alert of the incident, resolved ones included. */
function hasMoreSevereAlert(inc: IncidentState, draft: Draft) {
  const rank = severityRank(inc.incident.severity);
  return inc.incident.alertIds.some(id => {
    const alert = draft.state.alerts[id];
    return alert !== undefined && severityRank(alert.alert.severity) < rank;
  });
}

/** Re-derives root causes, inhibition and findings of every incident this event changed. */
export const refreshIncidents: CorrelationStage = {
  name: 'refresh-incidents',
  rule: ROOT_CAUSE_RULE,
  run(draft) {
    if (draft.deferRefresh) return 'continue';
    refreshTouched(draft);
    return 'continue';
  },
};

/**
 * Resolves incidents whose alerts all resolved a quiet period ago and do not flap. Time passing
 * is what resolves them, so a tick looks at every active incident and any other event only at
 * those it touched: with thousands open, an alert must not cost a look at each (a quiet
 * incident then resolves with the next tick, at most a tick interval later).
 */
export const autoResolve: CorrelationStage = {
  name: 'auto-resolve',
  rule: AUTO_RESOLVE_RULE,
  run(draft) {
    const candidates =
      draft.event.type === 'tick'
        ? [...activeIncidents(draft.state)]
        : [...draft.touched].flatMap(id => {
            const inc = draft.state.incidents[id];
            return inc && inc.incident.status !== 'resolved' ? [inc] : [];
          });
    for (const inc of candidates) {
      // Not before it has been announced (a batch announces its openings at its end).
      if (inc.phase !== 'open' || draft.opened.has(inc.incident.id)) continue;
      // Most incidents still have a firing alert: find out without collecting them all.
      if (
        inc.incident.alertIds.some(
          id => draft.state.alerts[id]?.status === 'firing',
        )
      )
        continue;
      const tracked = trackedAlertsOf(inc, draft.state.alerts);
      if (!readyToResolve(tracked, draft.now, draft.context.config)) continue;
      const at = toIso(draft.now);
      inc.incident = {
        ...inc.incident,
        status: 'resolved',
        resolvedAt: at,
        updatedAt: at,
      };
      incidentDeactivated(draft.state, inc);
      if (inc.refreshDue) touchNow(draft, inc);
      draft.decisions.push({
        type: 'resolve-incident',
        incidentId: inc.incident.id,
        at,
        rule: AUTO_RESOLVE_RULE,
      });
    }
    return 'continue';
  },
};

/**
 * Forgets deployments too old to be linked to any open incident or a new alert, and resolved
 * alerts that belong to no incident (silenced ones).
 */
export const prune: CorrelationStage = {
  name: 'prune',
  rule: DEPLOY_LINKED_RULE,
  run(draft) {
    // Scanning everything on every event is what a storm cannot afford; what is kept a little
    // longer changes no decision (reopening checks the flap window itself, linking its window).
    if (draft.now - (draft.state.prunedAt ?? -Infinity) < PRUNE_INTERVAL_MS)
      return 'continue';
    draft.state.prunedAt = draft.now;
    for (const [id, alert] of Object.entries(draft.state.alerts)) {
      if (alert.status === 'resolved' && !alert.incidentId)
        delete draft.state.alerts[id];
    }
    // A resolved incident is kept for one flap window, so a flapping alert can reopen it.
    for (const inc of Object.values(draft.state.incidents)) {
      const resolvedAt = inc.incident.resolvedAt;
      if (
        !resolvedAt ||
        toMs(resolvedAt) > draft.now - draft.context.config.flap.windowMs
      )
        continue;
      for (const id of inc.incident.alertIds) delete draft.state.alerts[id];
      delete draft.state.incidents[inc.incident.id];
    }
    const oldestOnset = Math.min(
      draft.now,
      ...activeIncidents(draft.state).map(i => i.onsetAt),
    );
    const horizon =
      oldestOnset -
      draft.context.config.deployWindowMs -
      draft.context.config.groupWindowMs;
    draft.state.deployments = draft.state.deployments.filter(
      d => toMs(d.startedAt) >= horizon,
    );
    if (draft.state.regressions) {
      draft.state.regressions = draft.state.regressions.filter(
        r => toMs(r.changePointAt) >= horizon,
      );
    }
    return 'continue';
  },
};

/** Stages that depend on the event, in order. */
export const EVENT_STAGES: CorrelationStage[] = [
  followLifecycle,
  ignoreAlreadyResolved,
  trackAlert,
  applySilences,
  groupByKey,
  groupByTopology,
  startGroup,
  recordDeployment,
  recordRegression,
];

/** Stages that run after every event, ticks included. */
export const HOUSEKEEPING_STAGES: CorrelationStage[] = [
  releaseEndedSilences([groupByKey, groupByTopology, startGroup]),
  openGate,
  reviewMembership,
  refreshIncidents,
  autoResolve,
  prune,
];
