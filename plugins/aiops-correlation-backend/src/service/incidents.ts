import { clockSkewFindings } from './rules/clockSkew';
import {
  SEVERITIES,
  severityRank,
  type Finding,
  type Incident,
  type RootCauseCandidate,
} from '@aiops/plugin-aiops-common';
import type { Draft } from './pipeline/stage';
import type { IncidentState, Suppression, TrackedAlert } from './types';
import { correlationKey, incidentIdFor } from './correlationKey';
import { limitFindings } from './rules/findingLimit';
import { rankRootCauses, ROOT_CAUSE_RULE } from './rootCause';
import { shortName } from './topology';
import { sameValue } from './sameValue';
import { bounded } from './bounds';
import { linkDeployments } from './rules/deployLinked';
import { observedTopologyFindings } from './rules/observedTopology';
import { regressionFindings } from './rules/regressionLinked';
import { FLAP_RULE, isFlapping } from './rules/flapping';
import { INHIBITION_RULE, inhibitionsFor } from './rules/inhibition';
import {
  incidentEntities,
  TOPOLOGY_GROUPING_RULE,
} from './rules/topologyGrouping';

/** A new, held group for `first`; the gate stage decides when it opens. */
export function createGroup(
  first: TrackedAlert,
  rule: string,
  now: number,
  ruleVersions: string[],
): IncidentState {
  const key = correlationKey(rule, first.groupKey, first.onsetAt);
  const incident: Incident = {
    id: incidentIdFor(key),
    title: first.alert.title,
    status: 'open',
    severity: first.alert.severity,
    primaryEntityRef: first.entityRef,
    affectedEntityRefs: first.entityRef ? [first.entityRef] : [],
    correlationKey: key,
    ruleVersions: [...ruleVersions],
    alertIds: [first.alert.id],
    findings: [],
    rootCauseCandidates: [],
    openedAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
  };
  return {
    incident,
    phase: 'pending',
    groupKeys: [first.groupKey],
    onsetAt: first.onsetAt,
    createdAt: now,
    lastActivityAt: Math.max(first.onsetAt, now),
    findingsByKey: {},
  };
}

export function trackedAlertsOf(
  inc: IncidentState,
  alerts: Record<string, TrackedAlert>,
) {
  return inc.incident.alertIds
    .map(id => alerts[id])
    .filter((a): a is TrackedAlert => !!a);
}

const sameSuppression = (a?: Suppression, b?: Suppression) =>
  sameValue(a ?? null, b ?? null);

/**
 * Re-derives everything about an incident from its alerts: inhibition, root causes, severity,
 * primary entity, owner, title and findings. Emits decisions for what changed; an incident
 * that opens with this event is announced whole (`open-incident` carries the snapshot).
 */
export function refreshIncident(
  draft: Draft,
  inc: IncidentState,
  /** When its gate opened, if the incident opens with this refresh. */
  openedAt?: number,
) {
  const { state, context, now, decisions } = draft;
  const justOpened = openedAt !== undefined;
  const { graph, config } = context;
  const announce = inc.phase === 'open';
  const tracked = trackedAlertsOf(inc, state.alerts);
  const id = inc.incident.id;
  const suppressionDecisions: typeof decisions = [];

  const inhibitions = inhibitionsFor(tracked, graph, config);
  for (const alert of tracked) {
    // A resolved alert keeps the suppression it had: un-muting it now would only be noise.
    if (alert.suppression?.reason === 'silenced' || alert.status === 'resolved')
      continue;
    const next = inhibitions.get(alert.alert.id);
    if (sameSuppression(alert.suppression, next) && !justOpened) continue;
    alert.suppression = next;
    if (next) {
      suppressionDecisions.push({
        type: 'suppress-alert',
        alertId: alert.alert.id,
        incidentId: id,
        suppression: next,
      });
    } else if (!justOpened) {
      suppressionDecisions.push({
        type: 'unsuppress-alert',
        alertId: alert.alert.id,
        incidentId: id,
      });
    }
  }

  const candidates = rankRootCauses(
    tracked.map(t => t.alert),
    state.deployments,
    graph,
    {
      maxHops: config.topology.maxHops,
      deployWindowMs: config.deployWindowMs,
      alertKinds: config.alertKinds,
    },
  );
  const affected = incidentEntities(inc, state.alerts);
  const findings = findingsFor(draft, inc, tracked, candidates, affected);

  const incident = inc.incident;
  const rankChanged = !sameValue(candidates, incident.rootCauseCandidates);
  const newFindings = Object.entries(findings).filter(
    ([key, f]) => !sameValue(inc.findingsByKey[key], f),
  );
  const severity =
    SEVERITIES[Math.min(...tracked.map(t => severityRank(t.alert.severity)))] ??
    incident.severity;
  const primary = candidates[0]?.entityRef ?? affected[0];
  const summary = primary ? graph.entity(primary) : undefined;
  const firstAlert = [...tracked].sort(
    (a, b) => a.onsetAt - b.onsetAt || a.alert.id.localeCompare(b.alert.id),
  )[0];
  const primaryAlert =
    tracked.find(
      t => t.entityRef === primary && t.alert.severity === severity,
    ) ??
    tracked.find(t => t.entityRef === primary) ??
    firstAlert;
  const others = tracked.length - 1;
  const next: Incident = {
    ...incident,
    title: `${primary ? `${shortName(primary)}: ` : ''}${
      primaryAlert?.alert.title ?? incident.title
    }${
      others > 0 ? ` (+${others} related alert${others === 1 ? '' : 's'})` : ''
    }`,
    severity,
    primaryEntityRef: primary,
    affectedEntityRefs: affected,
    owner: summary?.owner ?? ownerFromAlerts(tracked, primary),
    system: summary?.system ?? systemFromAlerts(tracked, primary),
    rootCauseCandidates: candidates,
    findings: Object.values(findings),
    openedAt:
      openedAt !== undefined
        ? new Date(openedAt).toISOString()
        : incident.openedAt,
  };
  const changed = justOpened || !sameValue(next, incident);
  inc.incident = changed
    ? { ...next, updatedAt: new Date(now).toISOString() }
    : incident;
  inc.findingsByKey = findings;

  if (!announce) return;
  if (justOpened) {
    decisions.push({
      type: 'open-incident',
      incident: inc.incident,
      rule: firstAlert?.joinedBy?.rule ?? '',
    });
    for (const alert of tracked) {
      decisions.push({
        type: 'attach-alert',
        incidentId: id,
        alertId: alert.alert.id,
        rule: alert.joinedBy?.rule ?? '',
        reason: alert.joinedBy?.reason ?? '',
      });
    }
    decisions.push(...suppressionDecisions);
    return;
  }
  decisions.push(...suppressionDecisions);
  for (const [key, finding] of newFindings) {
    decisions.push({ type: 'add-finding', incidentId: id, key, finding });
  }
  if (rankChanged)
    decisions.push({ type: 'rank-root-causes', incidentId: id, candidates });
}

function ownerFromAlerts(tracked: TrackedAlert[], primary?: string) {
  const r = tracked.find(t => t.entityRef === primary)?.alert.resolution;
  return r?.status === 'resolved' ? r.owner : undefined;
}

function systemFromAlerts(tracked: TrackedAlert[], primary?: string) {
  const r = tracked.find(t => t.entityRef === primary)?.alert.resolution;
  return r?.status === 'resolved' ? r.system : undefined;
}

function findingsFor(
  draft: Draft,
  inc: IncidentState,
  tracked: TrackedAlert[],
  candidates: RootCauseCandidate[],
  affected: string[],
): Record<string, Finding> {
  const { graph, config } = draft.context;
  const findings: Record<string, Finding> = {};
  const top = candidates[0];
  if (top) {
    const runnerUp = candidates[1]?.score ?? 0;
    findings['root-cause'] = {
      rule: ROOT_CAUSE_RULE,
      summary: `${shortName(
        top.entityRef,
      )} is the most likely root cause (score ${top.score}): ${
        top.reasons.join('; ') || 'only affected entity'
      }`,
      evidence: top.evidence,
      // A clear lead over the next candidate is what makes the ranking convincing.
      confidence:
        Math.round(
          Math.min(1, top.score * (0.5 + (top.score - runnerUp))) * 100,
        ) / 100,
    };
  }
  if (affected.length > 1 && top) {
    const related = affected
      .filter(ref => ref !== top.entityRef)
      .map(ref => {
        const rel = graph.relation(ref, top.entityRef, {
          maxHops: config.topology.maxHops,
        });
        if (!rel) return `${shortName(ref)} (via another affected entity)`;
        if (rel.kind === 'depends-on')
          return `${shortName(ref)} depends on it (${rel.hops} hop${
            rel.hops === 1 ? '' : 's'
          })`;
        if (rel.kind === 'dependency-of')
          return `${shortName(ref)} is its dependency`;
        return `${shortName(ref)} shares ${shortName(rel.via ?? '')} with it`;
      });
    findings.topology = {
      rule: TOPOLOGY_GROUPING_RULE,
      summary: `${tracked.length} alerts on ${
        affected.length
      } related entities grouped around ${shortName(
        top.entityRef,
      )}: ${related.join('; ')}`,
      evidence: affected.map(ref => ({ kind: 'entity' as const, id: ref })),
      confidence: 0.8,
    };
  }
  for (const link of linkDeployments(tracked, draft.state.deployments, graph, {
    windowMs: config.deployWindowMs,
    maxHops: config.topology.maxHops,
  })) {
    findings[`deploy:${link.deployment.id}`] = link.finding;
  }
  for (const { key, finding } of observedTopologyFindings(affected, graph)) {
    findings[key] = finding;
  }
  for (const { key, finding } of regressionFindings(
    affected,
    draft.state.regressions ?? [],
    inc.onsetAt,
    { windowMs: config.deployWindowMs },
  )) {
    findings[key] = finding;
  }
  for (const { key, finding } of clockSkewFindings(tracked)) {
    findings[key] = finding;
  }
  for (const alert of tracked) {
    if (isFlapping(alert.transitions, draft.now, config.flap)) {
      findings[`flapping:${alert.alert.id}`] = {
        rule: FLAP_RULE,
        summary: `${alert.alert.title} is flapping (${
          alert.transitions.length
        } status changes in ${Math.round(
          config.flap.windowMs / 60_000,
        )} min); the incident stays open until it settles`,
        evidence: [{ kind: 'alert', id: alert.alert.id }],
        confidence: 0.9,
      };
    } else if (inc.findingsByKey[`flapping:${alert.alert.id}`]) {
      // Keep the record that it flapped.
      findings[`flapping:${alert.alert.id}`] =
        inc.findingsByKey[`flapping:${alert.alert.id}`];
    }
  }
  const symptoms = tracked.filter(
    t => t.suppression?.reason === 'symptom-of-root',
  );
  if (symptoms.length > 0) {
    const roots = [
      ...new Set(
        symptoms.map(s =>
          'alertId' in s.suppression!.by ? s.suppression!.by.alertId : '',
        ),
      ),
    ].sort();
    findings.inhibition = {
      rule: INHIBITION_RULE,
      summary: `${symptoms.length} downstream alert${
        symptoms.length === 1 ? ' is' : 's are'
      } suppressed as symptoms, see root alert ${roots.join(', ')}`,
      evidence: bounded([
        ...roots,
        ...symptoms
          .slice()
          .sort(
            (a, b) =>
              a.onsetAt - b.onsetAt || a.alert.id.localeCompare(b.alert.id),
          )
          .map(s => s.alert.id),
      ]).map(aid => ({ kind: 'alert' as const, id: aid })),
      confidence: 0.8,
    };
  }
  return limitFindings(findings);
}
