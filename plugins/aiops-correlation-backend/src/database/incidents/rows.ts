import type {
  Finding,
  Incident,
  IncidentResolution,
  IncidentSummary,
  ResolutionInput,
  RootCauseCandidate,
} from '@aiops/plugin-aiops-common';
import { iso, optionalIso } from '@aiops/plugin-aiops-node';
import type { IncidentAlert, StoredTimelineEntry } from '../IncidentStore';
import type { ColumnTypes } from '../rows';

/*
 * The rows of the incident tables and the values they hold, both ways. Pure: no statement
 * runs here.
 */

/** The columns a snapshot of the core's view refreshes (see `describingColumns`). */
export const DESCRIBING_COLUMNS = [
  'title',
  'severity',
  'primary_entity_ref',
  'affected_entity_refs',
  'owner',
  'system',
  'rule_versions',
] as const;

/** What correlation says about an incident beyond its lifecycle; a snapshot refreshes these. */
export function describingColumns(
  incident: Incident,
): Record<(typeof DESCRIBING_COLUMNS)[number], string | null> {
  return {
    title: incident.title,
    severity: incident.severity,
    primary_entity_ref: incident.primaryEntityRef ?? null,
    affected_entity_refs: JSON.stringify(incident.affectedEntityRefs),
    owner: incident.owner ?? null,
    system: incident.system ?? null,
    rule_versions: JSON.stringify(incident.ruleVersions),
  };
}

export function fromIncident(incident: Incident) {
  const resolved = incident.status === 'resolved';
  return {
    id: incident.id,
    ...describingColumns(incident),
    status: incident.status,
    peak_severity: incident.severity,
    correlation_key: incident.correlationKey,
    open_correlation_key: resolved ? null : incident.correlationKey,
    root_cause_candidates: JSON.stringify(incident.rootCauseCandidates),
    opened_at: iso(incident.openedAt),
    acknowledged_at: optionalIso(incident.acknowledgedAt) ?? null,
    resolved_at: optionalIso(incident.resolvedAt) ?? null,
    merged_into: incident.mergedInto ?? null,
    updated_at: iso(incident.updatedAt),
  };
}

export function toIncident(
  row: any,
  alertIds: string[],
  findings: Finding[],
): Incident {
  const resolution = toResolution(row);
  return {
    ...toIncidentSummary(row),
    correlationKey: row.correlation_key,
    ruleVersions: JSON.parse(row.rule_versions),
    alertIds,
    findings,
    rootCauseCandidates: JSON.parse(row.root_cause_candidates),
    ...(resolution && { resolution }),
  };
}

/** The resolution columns of a resolve: what the person recorded, the rest cleared. */
export function resolutionColumns(resolution: ResolutionInput = {}) {
  return {
    resolution_note: resolution.note ?? null,
    resolution_postmortem_url: resolution.postmortemUrl ?? null,
  };
}

/** The columns of an incident that is not resolved. */
export const NO_RESOLUTION = {
  resolved_by: null,
  ...resolutionColumns(),
};

/**
 * A resolved incident's resolution. The migration filled in `resolved_by` of incidents resolved
 * before; without it (a row written by hand) there is none.
 */
export function toResolution(row: any): IncidentResolution | undefined {
  if (row.status !== 'resolved' || !row.resolved_by || !row.resolved_at) {
    return undefined;
  }
  return {
    ...(row.resolution_note && { note: row.resolution_note }),
    ...(row.resolution_postmortem_url && {
      postmortemUrl: row.resolution_postmortem_url,
    }),
    resolvedBy: row.resolved_by,
    resolvedAt: iso(row.resolved_at),
  };
}

/** An incident row without what only the detail carries (the change feed's items). */
export function toIncidentSummary(row: any): IncidentSummary {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    severity: row.severity,
    primaryEntityRef: row.primary_entity_ref ?? undefined,
    affectedEntityRefs: JSON.parse(row.affected_entity_refs),
    owner: row.owner ?? undefined,
    system: row.system ?? undefined,
    openedAt: iso(row.opened_at),
    acknowledgedAt: optionalIso(row.acknowledged_at),
    resolvedAt: optionalIso(row.resolved_at),
    mergedInto: row.merged_into ?? undefined,
    updatedAt: iso(row.updated_at),
  };
}

/** The stored `root_cause_candidates` column. */
export function parseCandidates(column: string): RootCauseCandidate[] {
  return JSON.parse(column);
}

/** The entities an incident affects, its primary one first. */
export function entitiesOf(
  incident: Pick<Incident, 'primaryEntityRef' | 'affectedEntityRefs'>,
): string[] {
  return [
    ...new Set([
      ...(incident.primaryEntityRef ? [incident.primaryEntityRef] : []),
      ...incident.affectedEntityRefs,
    ]),
  ];
}

export function fromFinding(
  incidentId: string,
  key: string,
  finding: Finding,
  now: string,
) {
  return {
    incident_id: incidentId,
    finding_key: key,
    rule: finding.rule,
    summary: finding.summary,
    evidence: JSON.stringify(finding.evidence),
    confidence: finding.confidence,
    updated_at: now,
  };
}

export function toFinding(row: any): Finding {
  return {
    rule: row.rule,
    summary: row.summary,
    evidence: JSON.parse(row.evidence),
    confidence: Number(row.confidence),
  };
}

export function sameFinding(a: Finding, b: Finding) {
  return (
    a.rule === b.rule &&
    a.summary === b.summary &&
    a.confidence === b.confidence &&
    JSON.stringify(a.evidence) === JSON.stringify(b.evidence)
  );
}

/** The role of an alert in an incident, as `incident_alerts` stores it. */
export type RoleColumns = {
  role: 'member' | 'suppressed';
  suppressed_reason: string | null;
  suppressed_by_alert_id: string | null;
  suppressed_by_silence_id: string | null;
  suppressed_rule: string | null;
};

export const ROLE_KEYS = [
  'role',
  'suppressed_reason',
  'suppressed_by_alert_id',
  'suppressed_by_silence_id',
  'suppressed_rule',
] as const;

export const MEMBER_ROLE: RoleColumns = {
  role: 'member',
  suppressed_reason: null,
  suppressed_by_alert_id: null,
  suppressed_by_silence_id: null,
  suppressed_rule: null,
};

export const INCIDENT_ALERT_COLUMNS: ColumnTypes = {
  incident_id: 'text',
  alert_id: 'text',
  role: 'text',
  joined_rule: 'text',
  joined_reason: 'text',
  suppressed_reason: 'text',
  suppressed_by_alert_id: 'text',
  suppressed_by_silence_id: 'text',
  suppressed_rule: 'text',
  attached_at: 'timestamptz',
};

/** The key of an alert of an incident, in maps of a batch. */
export const alertKey = (incidentId: string, alertId: string) =>
  `${incidentId}\n${alertId}`;

export function toIncidentAlert(row: any): IncidentAlert {
  return {
    alertId: row.alert_id,
    role: row.role,
    joinedBy: row.joined_rule
      ? { rule: row.joined_rule, reason: row.joined_reason ?? '' }
      : undefined,
    suppression: row.suppressed_reason
      ? {
          reason: row.suppressed_reason,
          by: row.suppressed_by_alert_id
            ? { alertId: row.suppressed_by_alert_id }
            : { silenceId: row.suppressed_by_silence_id ?? '' },
          rule: row.suppressed_rule ?? '',
        }
      : undefined,
    attachedAt: iso(row.attached_at),
  };
}

export function toTimelineEntry(row: any): StoredTimelineEntry {
  return {
    id: row.entry_id,
    action: row.action,
    at: iso(row.at),
    kind: row.kind,
    summary: row.summary,
    actor: row.actor ?? undefined,
    evidence: JSON.parse(row.evidence),
  };
}
