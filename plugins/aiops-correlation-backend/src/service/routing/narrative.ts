import type {
  Incident,
  IncidentAlertLink,
  StoredFinding,
} from '@aiops/plugin-aiops-common';
import {
  buildNarrativeFacts,
  NOTIFICATION_NARRATIVE_LIMIT,
  templateDraft,
  type NotificationNarrative,
} from '@aiops/plugin-aiops-node';
import type { RoutingCatalog } from './route';
import { truncate } from './truncate';

/** What correlation's store holds of an incident besides the incident itself. */
export interface IncidentRecord {
  /** Alert links, by id only: routing never asks ingest for the alerts' details. */
  alerts: IncidentAlertLink[];
  findings: StoredFinding[];
}

/**
 * The template narrative of an incident as routing knows it at that moment: its findings and
 * root-cause candidates, its alerts by id, the catalog snapshot routing already holds. No
 * deployments or regressions (those are ingest's and the detector's; the narrator states them
 * later), so what changed is left out rather than said to be nothing. Pure and local: no
 * network call on the notification path.
 *
 * Undefined when it cannot be written: a narrative is a courtesy, and a page without it still
 * goes out.
 */
export function notificationNarrative(
  incident: Incident,
  catalog: RoutingCatalog,
  record?: IncidentRecord,
): NotificationNarrative | undefined {
  try {
    const facts = buildNarrativeFacts({
      details: {
        incident,
        alerts: record?.alerts ?? alertsById(incident),
        findings: record?.findings ?? findingsOf(incident),
        timeline: [],
      },
      catalog: ref => catalog.get(ref),
    });
    const draft = templateDraft(facts);
    const bounded = (text: string) =>
      truncate(text, NOTIFICATION_NARRATIVE_LIMIT);
    return {
      generatedBy: 'template',
      summary: bounded(draft.summary),
      ...(facts.rootCause && { probableCause: bounded(draft.probableCause) }),
      ...(draft.impact && { impact: bounded(draft.impact) }),
    };
  } catch {
    return undefined;
  }
}

/** Without the store's record: the incident's own alert ids and findings. */
function alertsById(incident: Incident): IncidentAlertLink[] {
  return incident.alertIds.map(alertId => ({
    alertId,
    role: 'member',
    attachedAt: incident.openedAt,
  }));
}

function findingsOf(incident: Incident): StoredFinding[] {
  return incident.findings.map((finding, i) => ({
    key: `${finding.rule}#${i}`,
    finding,
    updatedAt: incident.updatedAt,
  }));
}
