import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  Alert,
  IncidentAlertDetails,
  IncidentDetails,
} from '@aiops/plugin-aiops-common';
import { MAX_ALERT_LOOKUP, type IngestClient } from './IngestClient';

/** How long an incident read waits for ingest before answering with alert ids only. */
const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * The incident with each alert's `details` read from aiops-ingest. Reading an incident must not
 * fail because ingest is down or slow: then the alerts keep their ids and `alertDetails` says
 * `unavailable`. An alert ingest no longer keeps (retention) is listed without details.
 */
export async function withAlertDetails(
  details: IncidentDetails,
  ingest: IngestClient,
  logger: LoggerService,
): Promise<IncidentDetails> {
  const ids = details.alerts.map(link => link.alertId);
  let timer: NodeJS.Timeout | undefined;
  try {
    const found = await Promise.race([
      lookUp(ids, ingest),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${LOOKUP_TIMEOUT_MS} ms`)),
          LOOKUP_TIMEOUT_MS,
        );
      }),
    ]);
    return {
      ...details,
      alerts: details.alerts.map(link => {
        const alert = found.get(link.alertId);
        return alert ? { ...link, details: describeAlert(alert) } : link;
      }),
      alertDetails: 'available',
    };
  } catch (error) {
    logger.warn(
      `Alerts of incident ${details.incident.id} are shown by id only: aiops-ingest could not be read: ${error}`,
    );
    return { ...details, alertDetails: 'unavailable' };
  } finally {
    clearTimeout(timer);
  }
}

async function lookUp(
  ids: string[],
  ingest: IngestClient,
): Promise<Map<string, Alert>> {
  const found = new Map<string, Alert>();
  // Ingest answers at most MAX_ALERT_LOOKUP ids per request; a storm's incident takes several.
  for (let i = 0; i < ids.length; i += MAX_ALERT_LOOKUP) {
    const { items } = await ingest.getAlerts(
      ids.slice(i, i + MAX_ALERT_LOOKUP),
    );
    for (const alert of items) found.set(alert.id, alert);
  }
  return found;
}

function describeAlert(alert: Alert): IncidentAlertDetails {
  return {
    name: alert.labels.alertname || alert.title,
    title: alert.title,
    entityRef:
      alert.resolution.status === 'resolved'
        ? alert.resolution.entityRef
        : undefined,
    severity: alert.severity,
    status: alert.status,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    lastSeenAt: alert.lastSeenAt,
  };
}
