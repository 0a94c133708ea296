import { InputError } from '@backstage/errors';
import type { DeploymentStatus } from '@aiops/plugin-aiops-common';
import {
  NestingTooDeepError,
  jsonTextNestsDeeperThan,
  jsonValueProblem,
} from '@aiops/plugin-aiops-node';
import type { DeploymentInput } from '../inputs';
import {
  type Json,
  isObject,
  requireObject,
  requireTimestamp,
} from '../validation';
import { fieldPath, requiredString } from './fields';

/**
 * Deployment events by predicate. The version suffix of the type
 * (`dev.cdevents.service.deployed.0.1.1`, `.0.2.0`, `.0.3.0`) is ignored: the fields this
 * receiver reads are the same in all of them. An upgrade is a finished deployment too; the
 * version it replaced is not in the event.
 */
const STATUS_BY_PREDICATE = new Map<string, DeploymentStatus>([
  ['deployed', 'succeeded'],
  ['upgraded', 'succeeded'],
  ['rolledback', 'rolled_back'],
]);
const SERVICE_EVENT_TYPE = /^dev\.cdevents\.service\.([a-z]+)(?:\.|$)/;

const STRUCTURED_MODE = 'application/cloudevents+json';
const BATCHED_MODE = 'application/cloudevents-batch+json';

/**
 * A CDEvent `service.deployed`, `service.upgraded` or `service.rolledback`, in any spec version
 * (`context.version` up to 0.4, `context.specversion` from 0.5; `subject.type` optional), sent
 * as a CloudEvent in binary mode (`ce-*` headers, the CDEvent as the body), in structured mode
 * (`Content-Type: application/cloudevents+json`, the CDEvent in `data`), or bare.
 *
 * `headers` are keyed in lower case, as Node delivers them. Only `content-type` matters: in
 * binary mode the `ce-*` headers repeat the CDEvent's own context, which the body carries whole.
 */
export function parseCdEvent(
  body: Json,
  headers: Record<string, string | undefined>,
): DeploymentInput[] {
  const mediaType = headers['content-type']?.split(';')[0].trim().toLowerCase();
  if (mediaType === BATCHED_MODE) {
    throw new InputError(
      'CloudEvents batched mode is not supported; send one event per request',
    );
  }
  if (mediaType === STRUCTURED_MODE || isStructuredEnvelope(body)) {
    return [parseCloudEventEnvelope(body)];
  }
  return [parseServiceEvent(body, '')];
}

/** Structured mode sent as plain `application/json`: an envelope, not a CDEvent. */
function isStructuredEnvelope(body: Json): boolean {
  return isObject(body) && !('context' in body) && 'specversion' in body;
}

function parseCloudEventEnvelope(body: Json): DeploymentInput {
  const envelope = requireObject(body, 'body');
  if (envelope.data_base64 !== undefined) {
    return parseServiceEvent(
      decodeBase64Json(envelope.data_base64, 'data_base64'),
      'data_base64',
    );
  }
  return parseServiceEvent(envelope.data, 'data');
}

/** The decoded event is a second body, held to the limits the body reader applies to the first. */
function decodeBase64Json(value: Json, path: string): Json {
  const text =
    typeof value === 'string' ? Buffer.from(value, 'base64') : undefined;
  if (text && jsonTextNestsDeeperThan(text)) {
    throw new NestingTooDeepError(path);
  }
  let parsed: Json;
  try {
    parsed = text && JSON.parse(text.toString('utf8'));
  } catch {
    // reported below
  }
  if (parsed === undefined) {
    throw new InputError(`${path} must be a base64-encoded JSON CDEvent`);
  }
  const problem = jsonValueProblem(parsed, path);
  if (problem) throw new InputError(problem);
  return parsed;
}

function parseServiceEvent(raw: Json, path: string): DeploymentInput {
  const at = fieldPath(path);
  const event = requireObject(raw, path || 'body');
  const context = requireObject(event.context, at('context'));
  const status = statusOfEventType(context.type, at('context.type'));
  const subject = requireObject(event.subject, at('subject'));
  const content = requireObject(subject.content, at('subject.content'));
  const environment = requireObject(
    content.environment,
    at('subject.content.environment'),
  );
  const artifact = describeArtifact(
    requiredString(content.artifactId, at('subject.content.artifactId')),
  );

  const labels: Record<string, string> = {
    service: lastPathSegment(requiredString(subject.id, at('subject.id'))),
  };
  if (artifact.name) labels.app = artifact.name;

  const source = requiredString(context.source, at('context.source'));
  const id = requiredString(context.id, at('context.id'));
  return {
    source: 'cdevents',
    // Ids are unique per source only; the spec's own examples all share one id.
    externalId: `${source}|${id}`,
    labels,
    environment: requiredString(
      environment.id,
      at('subject.content.environment.id'),
    ),
    version: artifact.version,
    status,
    startedAt: requireTimestamp(context.timestamp, at('context.timestamp')),
  };
}

function statusOfEventType(value: Json, path: string): DeploymentStatus {
  const type = requiredString(value, path);
  const predicate = SERVICE_EVENT_TYPE.exec(type)?.[1];
  const status = predicate && STATUS_BY_PREDICATE.get(predicate);
  if (!status) {
    throw new InputError(
      `${path} "${type.slice(0, 100)}" is not a supported deployment event; ` +
        'send dev.cdevents.service.deployed, .upgraded or .rolledback',
    );
  }
  return status;
}

/** `service/cart` and `/ns/deployment/cart` name the service `cart`. */
function lastPathSegment(id: string): string {
  return id.split('/').filter(Boolean).pop() ?? id;
}

/**
 * What an `artifactId` says about the deployed artifact. A package URL
 * (`pkg:type/namespace/name@version?qualifiers#subpath`) gives the artifact name and its
 * version: the `tag` qualifier when there is one, as that is what people recognise, else the
 * purl version (for OCI images, the digest). `latest` is no version, so the digest wins over
 * it. Anything that is not a purl (a digest, a file name) is taken as the version itself.
 */
export function describeArtifact(artifactId: string): {
  name?: string;
  version: string;
} {
  const purl = /^pkg:\/*[^/]+\/+([^?#]+)(?:\?([^#]*))?/i.exec(artifactId);
  if (!purl) return { version: artifactId };
  const [, path, qualifiers = ''] = purl;

  const versionAt = path.lastIndexOf('@');
  const namePath = versionAt >= 0 ? path.slice(0, versionAt) : path;
  const purlVersion =
    versionAt >= 0 ? percentDecode(path.slice(versionAt + 1)) : '';
  const name = percentDecode(namePath.split('/').filter(Boolean).pop() ?? '');
  const tag = qualifiers
    .split('&')
    .map(pair => pair.split('='))
    .find(([key]) => key.toLowerCase() === 'tag')?.[1];
  const tagVersion = tag && percentDecode(tag);

  return {
    name: name || undefined,
    version:
      (tagVersion !== 'latest' && tagVersion) || purlVersion || artifactId,
  };
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
