import { InputError } from '@backstage/errors';
import type { DeploymentStatus } from '@aiops/plugin-aiops-common';
import type { DeploymentInput } from '../inputs';
import {
  BatchTooLargeError,
  type Json,
  isObject,
  oneOf,
  optionalString,
  requireArray,
  requireObject,
  stringMap,
} from '../validation';
import {
  DEFAULT_ENVIRONMENT,
  ENTITY_REF_LABEL,
  deploymentTimes,
  fieldPath,
  requiredString,
} from './fields';

/** Keyed by the domain type, so a status added to it cannot be forgotten here. */
const STATUS_NAMES: Record<DeploymentStatus, true> = {
  started: true,
  succeeded: true,
  failed: true,
  rolled_back: true,
};
const DEPLOYMENT_STATUSES = Object.keys(STATUS_NAMES) as DeploymentStatus[];

/**
 * The generic format: one deployment object, or `{ "deployments": [...] }`. Fields:
 * `id` (the sender's id, the idempotency key), `service` and/or `entityRef`, `labels`,
 * `environment` (default production), `version`, `previousVersion`, `status` (default
 * succeeded), `startedAt` and/or `finishedAt`, `url`, `commit`, `actor`.
 * See docs/ingest/deployments.md.
 */
export function parseGenericDeployments(
  body: Json,
  options: { maxItems: number },
): DeploymentInput[] {
  if (!(isObject(body) && 'deployments' in body)) {
    return [parseGenericDeployment(body, '')];
  }
  const items = requireArray(body.deployments, 'deployments');
  if (items.length === 0) {
    throw new InputError('deployments holds no deployments');
  }
  if (items.length > options.maxItems) {
    throw new BatchTooLargeError(
      'deployments',
      'deployments',
      items.length,
      options.maxItems,
    );
  }
  return items.map((item, index) =>
    parseGenericDeployment(item, `deployments[${index}]`),
  );
}

function parseGenericDeployment(raw: Json, path: string): DeploymentInput {
  const at = fieldPath(path);
  const item = requireObject(raw, path || 'body');

  const labels = stringMap(item.labels, at('labels'));
  const service = optionalString(item.service, at('service'));
  const entityRef = optionalString(item.entityRef, at('entityRef'));
  if (!service && !entityRef) {
    throw new InputError(
      `${at('service')} or ${at(
        'entityRef',
      )} is required, to key the deployment to the catalog`,
    );
  }
  if (service) labels.service = service;
  if (entityRef) labels[ENTITY_REF_LABEL] = entityRef;

  return {
    source: 'generic',
    externalId: requiredString(item.id, at('id')),
    labels,
    environment:
      optionalString(item.environment, at('environment')) ??
      DEFAULT_ENVIRONMENT,
    version: requiredString(item.version, at('version')),
    previousVersion: optionalString(
      item.previousVersion,
      at('previousVersion'),
    ),
    status: oneOf(
      item.status ?? 'succeeded',
      DEPLOYMENT_STATUSES,
      at('status'),
    ),
    ...deploymentTimes(item.startedAt, item.finishedAt, at),
    url: optionalString(item.url, at('url')),
    commit: optionalString(item.commit, at('commit')),
    actor: optionalString(item.actor, at('actor')),
  };
}
