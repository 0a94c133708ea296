import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import type { DeploymentInput } from '../inputs';
import {
  type Json,
  isObject,
  optionalString,
  optionalTimestamp,
  requireArray,
  requireObject,
  stringMap,
} from '../validation';
import {
  DEFAULT_ENVIRONMENT,
  ENTITY_REF_LABEL,
  optionalObject,
  requiredString,
} from './fields';

/** Where change events go; named in the refusal of one sent to the alert receiver. */
export const PAGERDUTY_CHANGE_ROUTE = '/api/aiops-ingest/changes/pagerduty';

/** PagerDuty's own limit on `payload.summary`. */
const MAX_SUMMARY_LENGTH = 1024;
/** The `version`, `environment`, `commit` and `actor` columns. */
const MAX_FIELD_LENGTH = 255;
/** An integration key is 32 characters; anything much longer is not one. */
const MAX_ROUTING_KEY_LENGTH = 255;

/**
 * `custom_details` keys that key the change to the catalog, as labels of the same name. They
 * are the labels the entity resolver reads; `component` is PagerDuty's word for a service.
 */
const KEYING_DETAILS = [
  ENTITY_REF_LABEL,
  'entity',
  'service',
  'service_name',
  'service.name',
  'app',
  'app.kubernetes.io/name',
] as const;
/** `custom_details` keys that say what was rolled out and by whom; the first found wins. */
const VERSION_DETAILS = ['version', 'revision', 'build_number'] as const;
const COMMIT_DETAILS = ['commit', 'sha'] as const;
const ACTOR_DETAILS = ['actor', 'user', 'author'] as const;
const ENVIRONMENT_DETAILS = ['environment', 'env'] as const;

const GIT_COMMIT = /^[0-9a-f]{7,40}$/;
/** Only a web link becomes the change's URL, which the UI renders as a link. */
const WEB_LINK = /^https?:\/\//i;

/**
 * A PagerDuty Events API v2 change event, the body CI tools send to `/v2/change/enqueue`:
 * `routing_key`, `payload.summary` (required), `payload.source`, `payload.timestamp`,
 * `payload.custom_details`, `links[{href, text}]`. It becomes a finished deployment-like
 * change (source `pagerduty-change`): the summary is kept as the change's summary, and
 * `custom_details` may name the service, version, commit, actor and environment. See
 * docs/ingest/changes.md.
 *
 * PagerDuty keys a change to a service by its routing key; the catalog does not know routing
 * keys, so the service comes from `labels`, then service-like `custom_details`
 * (`service`, `app`, `backstage.io/entity-ref`…, or `component`), then `payload.source`.
 *
 * PagerDuty change events carry no id. The change's id is a hash of the routing key, the
 * timestamp, the source and the summary, so a redelivered event is stored once; an event
 * without a timestamp is stamped with `now` and so is new each time it is sent.
 */
export function parsePagerDutyChangeEvent(
  body: Json,
  options: { now: Date },
): DeploymentInput[] {
  const event = requireObject(body, 'body');
  if (event.event_action !== undefined) {
    throw new InputError(
      `event_action is given ("${String(event.event_action).slice(
        0,
        32,
      )}"): this is a ` +
        'PagerDuty alert event, not a change event; send it to POST /api/aiops-ingest/alerts',
    );
  }
  const routingKey = optionalString(event.routing_key, 'routing_key');
  assertFits(routingKey, MAX_ROUTING_KEY_LENGTH, 'routing_key');
  const payload = requireObject(event.payload, 'payload');
  const summary = requiredString(payload.summary, 'payload.summary');
  assertFits(summary, MAX_SUMMARY_LENGTH, 'payload.summary');
  const source = optionalString(payload.source, 'payload.source');
  assertFits(source, MAX_FIELD_LENGTH, 'payload.source');
  const sentAt = optionalTimestamp(payload.timestamp, 'payload.timestamp');
  const startedAt = sentAt ?? options.now.toISOString();
  const details = detailStrings(payload.custom_details);
  const links = parseLinks(event.links);

  const labels: Record<string, string> = {};
  if (source) labels.instance = source;
  for (const key of KEYING_DETAILS) {
    if (details[key]) labels[key] = details[key];
  }
  if (!labels.service && details.component) labels.service = details.component;
  Object.assign(labels, stringMap(event.labels, 'labels'));
  if (!KEYING_DETAILS.some(key => labels[key]) && source)
    labels.service = source;

  const detail = (keys: readonly string[]) => {
    const key = keys.find(k => details[k]);
    if (!key) return undefined;
    assertFits(details[key], MAX_FIELD_LENGTH, `payload.custom_details.${key}`);
    return details[key];
  };
  return [
    {
      source: 'pagerduty-change',
      externalId: changeId([
        routingKey ?? '',
        startedAt,
        source ?? '',
        summary,
      ]),
      labels,
      environment: detail(ENVIRONMENT_DETAILS) ?? DEFAULT_ENVIRONMENT,
      // A change without a version is told by its summary; the column holds 255 characters.
      version: detail(VERSION_DETAILS) ?? truncate(summary, MAX_FIELD_LENGTH),
      status: 'succeeded',
      startedAt,
      finishedAt: startedAt,
      url: links.find(href => WEB_LINK.test(href)),
      commit: detail(COMMIT_DETAILS) ?? gitCommit(detail(['revision'])),
      actor: detail(ACTOR_DETAILS),
      summary,
    },
  ];
}

/**
 * Whether an event posted to the generic alert receiver is a PagerDuty change event. PagerDuty
 * requires `event_action` on every alert event, so a PagerDuty-format event (one with a
 * `routing_key` or `links`) without it is a change event. Events in this project's own generic
 * format may leave `event_action` out, but they carry neither.
 */
export function isPagerDutyChangeEvent(event: Json): boolean {
  return (
    isObject(event) &&
    event.event_action === undefined &&
    (event.routing_key !== undefined || event.links !== undefined)
  );
}

/** The refusal of a change event sent where alerts are expected, naming where it belongs. */
export function changeEventSentAsAlert(path: string): InputError {
  return new InputError(
    `${path} is a PagerDuty change event (no event_action, with routing_key or links): it ` +
      `records a change, not an alert, and is not stored here; send change events to ` +
      `POST ${PAGERDUTY_CHANGE_ROUTE}`,
  );
}

/** Top-level string values of `custom_details`; numbers (`build_number: 2`) as text. */
function detailStrings(value: Json): Record<string, string> {
  const details = optionalObject(value, 'payload.custom_details') ?? {};
  const strings: Record<string, string> = {};
  for (const [key, entry] of Object.entries(details)) {
    if (typeof entry === 'string' && entry.trim() !== '') strings[key] = entry;
    else if (typeof entry === 'number' && Number.isFinite(entry))
      strings[key] = String(entry);
  }
  return strings;
}

/** The `href`s of `links`, in order. */
function parseLinks(value: Json): string[] {
  if (value === undefined || value === null) return [];
  return requireArray(value, 'links').map((raw, index) => {
    const at = `links[${index}]`;
    const link = requireObject(raw, at);
    optionalString(link.text, `${at}.text`);
    return requiredString(link.href, `${at}.href`);
  });
}

function gitCommit(revision: string | undefined): string | undefined {
  return revision && GIT_COMMIT.test(revision) ? revision : undefined;
}

/** Inputs are bounded above (summary 1024, the others 255), so the hash input is too. */
function changeId(parts: string[]): string {
  return `pagerduty-change:${createHash('sha256')
    .update(JSON.stringify(parts))
    .digest('hex')}`;
}

/** At most `max` UTF-16 code units (as the column checks count), never half a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

function assertFits(value: string | undefined, max: number, path: string) {
  if (value !== undefined && value.length > max) {
    throw new InputError(`${path} is longer than ${max} characters`);
  }
}
