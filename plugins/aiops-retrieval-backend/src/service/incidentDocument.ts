import type { IncidentDetails, Labels } from '@aiops/plugin-aiops-common';
import type { IncidentDocument, IncidentResolution } from './types';

/** What the caller read besides correlation's incident; each is optional. */
export interface IncidentDocumentExtras {
  /** The narrator's current summary of the incident. */
  narrative?: string;
  /**
   * The resolution note and postmortem link; by default what correlation recorded on the
   * incident when it was resolved (`incident.resolution`, given to its resolve API).
   */
  resolution?: IncidentResolution;
  /** Labels of the incident's alerts, when read from ingest (correlation serves names only). */
  alertLabels?: Labels[];
}

/** Labels that name an instance rather than a kind of problem: they would match by accident. */
const INSTANCE_LABELS = new Set([
  'instance',
  'pod',
  'pod_name',
  'container_id',
  'fingerprint',
  'id',
  'uid',
]);

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

function trimmed(text: string | undefined): string | undefined {
  const value = text?.trim();
  return value ? value : undefined;
}

/**
 * The retrieval document of an incident: what it was about (title, alerts, findings,
 * narrative), where (entities, system, root cause) and how it ended (resolution, time to
 * resolve). Deterministic: the same details give the same document.
 */
export function buildIncidentDocument(
  details: IncidentDetails,
  extras: IncidentDocumentExtras = {},
): IncidentDocument {
  const { incident } = details;
  const refs = [incident.primaryEntityRef, ...incident.affectedEntityRefs]
    .filter((ref): ref is string => !!ref)
    .map(ref => ref.toLocaleLowerCase('en-US'));
  const rootCause = [...incident.rootCauseCandidates].sort(
    (a, b) => b.score - a.score,
  )[0];
  const alertNames = details.alerts
    .map(link => link.details?.name)
    .filter((name): name is string => !!name);
  const alertLabels = (extras.alertLabels ?? []).flatMap(labels =>
    Object.entries(labels)
      .filter(([name]) => !INSTANCE_LABELS.has(name))
      .map(([name, value]) => `${name}=${value}`),
  );
  // The stored findings are the current ones (a later finding with the same key replaced an
  // earlier); the incident's own list is the fallback for an incident read without them.
  const findings = details.findings.length
    ? details.findings.map(stored => stored.finding.summary)
    : incident.findings.map(finding => finding.summary);
  const resolution = extras.resolution ?? incident.resolution;
  const resolvedAt =
    incident.status === 'resolved' ? incident.resolvedAt : undefined;
  const timeToResolveMs = resolvedAt
    ? Math.max(0, Date.parse(resolvedAt) - Date.parse(incident.openedAt))
    : undefined;

  return {
    incidentId: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    system: incident.system?.toLocaleLowerCase('en-US'),
    owner: incident.owner?.toLocaleLowerCase('en-US'),
    entityRefs: [...new Set(refs)],
    rootCauseEntityRef: rootCause?.entityRef.toLocaleLowerCase('en-US'),
    alertNames: sortedUnique(alertNames),
    alertLabels: sortedUnique(alertLabels),
    findings,
    narrative: trimmed(extras.narrative),
    resolutionNote: trimmed(resolution?.note),
    postmortemUrl: trimmed(resolution?.postmortemUrl),
    openedAt: incident.openedAt,
    resolvedAt,
    timeToResolveMs:
      timeToResolveMs !== undefined && Number.isFinite(timeToResolveMs)
        ? timeToResolveMs
        : undefined,
    ...(incident.mergedInto && { mergedInto: incident.mergedInto }),
  };
}
