import { InputError } from '@backstage/errors';
import { SEVERITIES, type Severity } from '@aiops/plugin-aiops-common';
import type { AlertInput } from '../inputs';
import {
  BatchTooLargeError,
  type Json,
  isObject,
  oneOf,
  optionalString,
  optionalTimestamp,
  requireObject,
  requireString,
  stringMap,
} from '../validation';
import { fingerprintLabels } from './fingerprint';
import {
  changeEventSentAsAlert,
  isPagerDutyChangeEvent,
} from '../deployments/pagerdutyChange';

const EVENT_ACTIONS = ['trigger', 'resolve', 'acknowledge'] as const;

/** PagerDuty payload fields that become labels, so they can key the alert to the catalog. */
const PAYLOAD_LABELS = [
  ['service', 'component'],
  ['instance', 'source'],
  ['group', 'group'],
  ['class', 'class'],
] as const;

/**
 * A resolve that names only its `dedup_key`, as PagerDuty Events v2 allows. It applies to the
 * alert stored under that key, if there is one.
 */
export interface AlertResolveByKey {
  fingerprint: string;
  endsAt: string;
}

export interface ParsedGenericEvent {
  index: number;
  alert?: AlertInput;
  resolve?: AlertResolveByKey;
  /** Accepted but not applied to an alert, with the reason (reported back to the sender). */
  ignored?: string;
}

/**
 * The generic format (one event, `{ "alerts": [...] }` or a bare array), modelled on PagerDuty
 * Events v2: `event_action` trigger/resolve/acknowledge, `dedup_key`, and a `payload` with
 * `summary`, `source`, `severity`, `timestamp`, `component`, `group`, `class`,
 * `custom_details`. Extra `labels` key the alert to the catalog; see docs/ingest/alerts.md.
 * A PagerDuty change event is refused (400), naming the route that records changes.
 */
export function parseGenericAlerts(
  body: Json,
  options: { maxAlerts: number; now: Date },
): ParsedGenericEvent[] {
  let events: Json[];
  let prefix: string;
  if (Array.isArray(body)) {
    events = body;
    prefix = '';
  } else if (isObject(body) && Array.isArray(body.alerts)) {
    events = body.alerts;
    prefix = 'alerts';
  } else {
    events = [requireObject(body, 'body')];
    prefix = '';
  }
  if (events.length === 0)
    throw new InputError(`${prefix || 'body'} holds no alerts`);
  if (events.length > options.maxAlerts) {
    throw new BatchTooLargeError(
      prefix || 'body',
      'alerts',
      events.length,
      options.maxAlerts,
    );
  }
  const single = events.length === 1 && !Array.isArray(body) && prefix === '';
  return events.map((raw, index) =>
    parseEvent(raw, single ? '' : `${prefix}[${index}]`, index, options.now),
  );
}

function parseEvent(
  raw: Json,
  path: string,
  index: number,
  now: Date,
): ParsedGenericEvent {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const event = requireObject(raw, path || 'body');
  // Stored as an alert, a CI tool's "Build Success" would open an incident.
  if (isPagerDutyChangeEvent(event))
    throw changeEventSentAsAlert(path || 'body');
  const action = oneOf(
    event.event_action ?? 'trigger',
    EVENT_ACTIONS,
    at('event_action'),
  );
  const dedupKey = optionalString(event.dedup_key, at('dedup_key'));

  if (action === 'acknowledge') {
    return {
      index,
      ignored:
        'acknowledge applies to incidents; acknowledge the incident in AIOps instead',
    };
  }
  if (action === 'resolve' && event.payload === undefined) {
    if (!dedupKey)
      throw new InputError(
        `${at('dedup_key')} is required to resolve an alert`,
      );
    return {
      index,
      resolve: { fingerprint: dedupKey, endsAt: now.toISOString() },
    };
  }

  const payload = requireObject(event.payload, at('payload'));
  const summary = requireString(payload.summary, at('payload.summary'));
  const severity: Severity = oneOf(
    payload.severity ?? 'warning',
    SEVERITIES,
    at('payload.severity'),
  );
  const timestamp =
    optionalTimestamp(payload.timestamp, at('payload.timestamp')) ??
    now.toISOString();
  const labels: Record<string, string> = {};
  for (const [label, field] of PAYLOAD_LABELS) {
    const text = optionalString(payload[field], at(`payload.${field}`));
    if (text) labels[label] = text;
  }
  Object.assign(labels, stringMap(event.labels, at('labels')));

  const details = payload.custom_details;
  const annotations: Record<string, string> = { summary };
  if (isObject(details)) {
    for (const [key, value] of Object.entries(details)) {
      annotations[key] =
        typeof value === 'string' ? value : JSON.stringify(value);
    }
  } else if (details !== undefined) {
    annotations.details =
      typeof details === 'string' ? details : JSON.stringify(details);
  }

  const resolved = action === 'resolve';
  return {
    index,
    alert: {
      source: 'generic',
      fingerprint: dedupKey ?? fingerprintLabels(labels, summary),
      status: resolved ? 'resolved' : 'firing',
      severity,
      title: summary,
      description: annotations.description,
      labels,
      annotations,
      startsAt: timestamp,
      endsAt: resolved ? now.toISOString() : undefined,
      generatorUrl: optionalString(event.client_url, at('client_url')),
    },
  };
}
