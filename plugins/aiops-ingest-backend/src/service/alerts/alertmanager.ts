import { InputError } from '@backstage/errors';
import type { AlertSource, AlertStatus } from '@aiops/plugin-aiops-common';
import type { AlertInput } from '../inputs';
import {
  BatchTooLargeError,
  type Json,
  optionalString,
  optionalTimestamp,
  requireArray,
  requireObject,
  stringMap,
} from '../validation';
import { fingerprintLabels } from './fingerprint';
import { severityFromLabels } from './severity';

export interface ReceivedAlertGroup {
  alerts: AlertInput[];
  /** Alertmanager left this many alerts out of the notification (`max_alerts`). */
  truncatedAlerts: number;
}

/**
 * Parses the Alertmanager webhook (version "4") and Grafana's unified alerting webhook, which
 * shares its envelope (`"version": "1"`). Keys documented upstream but missing in the wild
 * (`version`, `groupKey`, per-alert `status`, `fingerprint`, `generatorURL`) are tolerated;
 * keys added by newer versions are ignored.
 */
export function parseAlertmanagerWebhook(
  body: Json,
  source: Extract<AlertSource, 'alertmanager' | 'grafana'>,
  options: { maxAlerts: number; now: Date },
): ReceivedAlertGroup {
  const envelope = requireObject(body, 'body');
  const alerts = requireArray(envelope.alerts, 'alerts');
  if (alerts.length > options.maxAlerts) {
    throw new BatchTooLargeError(
      'alerts',
      'alerts',
      alerts.length,
      options.maxAlerts,
    );
  }
  const groupStatus = parseStatus(envelope.status, 'status');
  const commonLabels = stringMap(envelope.commonLabels, 'commonLabels');

  return {
    truncatedAlerts:
      typeof envelope.truncatedAlerts === 'number'
        ? envelope.truncatedAlerts
        : 0,
    alerts: alerts.map((raw, index) => {
      const path = `alerts[${index}]`;
      const alert = requireObject(raw, path);
      const labels = {
        ...commonLabels,
        ...stringMap(alert.labels, `${path}.labels`),
      };
      if (Object.keys(labels).length === 0) {
        throw new InputError(`${path}.labels must not be empty`);
      }
      const annotations = stringMap(alert.annotations, `${path}.annotations`);
      const endsAt = optionalTimestamp(alert.endsAt, `${path}.endsAt`);
      const startsAt =
        optionalTimestamp(alert.startsAt, `${path}.startsAt`) ??
        options.now.toISOString();
      const status =
        parseStatus(alert.status, `${path}.status`) ??
        (endsAt && Date.parse(endsAt) <= options.now.getTime()
          ? 'resolved'
          : groupStatus) ??
        'firing';
      const fingerprint =
        optionalString(alert.fingerprint, `${path}.fingerprint`) ??
        fingerprintLabels(labels);

      return {
        source,
        fingerprint,
        status,
        severity: severityFromLabels(labels),
        title:
          labels.alertname ??
          annotations.summary ??
          annotations.title ??
          fingerprint,
        description:
          annotations.description ?? annotations.summary ?? annotations.message,
        labels,
        annotations,
        startsAt,
        endsAt:
          status === 'resolved' ? endsAt ?? options.now.toISOString() : endsAt,
        generatorUrl: optionalString(
          alert.generatorURL,
          `${path}.generatorURL`,
        ),
      };
    }),
  };
}

function parseStatus(value: Json, path: string): AlertStatus | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === 'firing' || value === 'resolved') return value;
  throw new InputError(`${path} must be "firing" or "resolved"`);
}
