import { trimTrailing, type Incident } from '@aiops/plugin-aiops-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { notificationNarrative, type IncidentRecord } from './narrative';
import type { RoutingCatalog } from './route';
import type { ChangeKind, IncidentChange, IncidentMessage } from './types';

const CHANGE_WORDS: Record<ChangeKind, string> = {
  opened: 'Opened',
  'severity-raised': 'Severity raised',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  reopened: 'Reopened',
  merged: 'Merged',
  escalated: 'Escalated',
};

const TOP_FINDINGS = 3;

/**
 * The incident as a message, the same for every channel, with the template narrative written
 * from `record` (the store's alert links and findings; the incident's own without it).
 */
export function incidentMessage(
  incident: Incident,
  change: IncidentChange,
  catalog: RoutingCatalog,
  appBaseUrl: string,
  record?: IncidentRecord,
): IncidentMessage {
  const narrative = notificationNarrative(incident, catalog, record);
  const service = incident.primaryEntityRef
    ? catalog.get(incident.primaryEntityRef)
    : undefined;
  const rootCause = incident.rootCauseCandidates[0];
  const base = trimTrailing(appBaseUrl, '/');
  const owner = incident.owner ? shortRef(incident.owner) : 'no owner';
  const escalation = change.escalation && {
    step: change.escalation.step,
    policy: change.escalation.policy,
    afterMs: change.escalation.afterMs,
  };
  return {
    incidentId: incident.id,
    change: change.kind,
    changeAt: change.at,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    headline: `${CHANGE_WORDS[change.kind]}${
      escalation
        ? ` (step ${escalation.step + 1}, unacknowledged for ${describeDuration(
            escalation.afterMs,
          )})`
        : ''
    }: [${incident.severity.toUpperCase()}] ${incident.title} (${owner})`,
    service: incident.primaryEntityRef
      ? { entityRef: incident.primaryEntityRef, title: service?.title }
      : undefined,
    owner: incident.owner,
    system: incident.system,
    rootCause: rootCause && {
      entityRef: rootCause.entityRef,
      score: rootCause.score,
      reasons: rootCause.reasons,
    },
    findings: [...incident.findings]
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, TOP_FINDINGS)
      .map(({ rule, summary, confidence }) => ({ rule, summary, confidence })),
    alertCount: incident.alertIds.length,
    escalation,
    mergedInto: incident.mergedInto,
    links: {
      incident: `${base}/aiops/incidents/${encodeURIComponent(incident.id)}`,
      service: incident.primaryEntityRef
        ? `${base}/catalog/${entityPath(incident.primaryEntityRef)}`
        : undefined,
      runbook: service?.annotations['aiops/runbook-url'],
    },
    ...(narrative && { narrative }),
  };
}

/** `group:default/checkout-team` → `checkout-team`; other namespaces stay visible. */
export function shortRef(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return namespace === 'default' ? name : `${kind}:${namespace}/${name}`;
}

function entityPath(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return [namespace, kind, name].map(encodeURIComponent).join('/');
}

export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
