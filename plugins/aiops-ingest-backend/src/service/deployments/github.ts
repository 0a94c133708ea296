import type { DeploymentStatus } from '@aiops/plugin-aiops-common';
import type { DeploymentInput } from '../inputs';
import {
  type Json,
  isObject,
  optionalString,
  optionalTimestamp,
  requireObject,
  requireTimestamp,
} from '../validation';
import {
  ENTITY_REF_LABEL,
  optionalObject,
  requiredId,
  requiredString,
} from './fields';

/** GitHub signs with `X-Hub-Signature-256`, the same scheme as the suite's own receivers. */
export { verifySha256Signature as verifyGitHubSignature } from '../signature';

/** A branch says nothing about what runs: the ref is the version only when it looks like one. */
const VERSION_LIKE_REF = /^v?\d/;

/**
 * `deployment_status.state` → status. `inactive` is left out on purpose: GitHub sets it on an
 * older deployment when a newer one replaces it, which says nothing about how that one went.
 * `waiting` is a deployment held by a protection rule; it has begun as far as the sender knows.
 */
const STATUS_BY_STATE = new Map<string, DeploymentStatus>([
  ['pending', 'started'],
  ['queued', 'started'],
  ['waiting', 'started'],
  ['in_progress', 'started'],
  ['success', 'succeeded'],
  ['failure', 'failed'],
  ['error', 'failed'],
]);

/** Where the deployment runs, else its log. GitHub sends "" for the links it does not have. */
const STATUS_LINKS = ['environment_url', 'target_url', 'log_url'] as const;

/**
 * A GitHub `deployment` (status started) or `deployment_status` webhook, by its
 * `X-GitHub-Event` name. Returns `[]` for deliveries that carry no deployment change (other
 * events such as `ping`, and `inactive` or unknown states), which the router answers with 202.
 * All events of one deployment share one external id, so later statuses update it.
 */
export function parseGitHubDeploymentEvent(
  eventName: string,
  body: Json,
): DeploymentInput[] {
  if (eventName === 'deployment') {
    return [parseDeployment(requireObject(body, 'body'), 'started')];
  }
  if (eventName !== 'deployment_status') return [];

  const payload = requireObject(body, 'body');
  const deploymentStatus = requireObject(
    payload.deployment_status,
    'deployment_status',
  );
  const status = STATUS_BY_STATE.get(
    requiredString(deploymentStatus.state, 'deployment_status.state'),
  );
  if (!status) return [];

  const deployment = parseDeployment(payload, status);
  return [
    {
      ...deployment,
      finishedAt:
        status === 'started'
          ? undefined
          : optionalTimestamp(
              deploymentStatus.created_at,
              'deployment_status.created_at',
            ),
      url:
        STATUS_LINKS.map(key =>
          optionalString(deploymentStatus[key], `deployment_status.${key}`),
        ).find(Boolean) ?? deployment.url,
    },
  ];
}

function parseDeployment(
  payload: Record<string, Json>,
  status: DeploymentStatus,
): DeploymentInput {
  const repository = requireObject(payload.repository, 'repository');
  const deployment = requireObject(payload.deployment, 'deployment');
  const sha = requiredString(deployment.sha, 'deployment.sha');
  const ref = optionalString(deployment.ref, 'deployment.ref')?.replace(
    /^refs\/tags\//,
    '',
  );
  const sender = optionalObject(payload.sender, 'sender');
  return {
    source: 'github',
    externalId: `github:${requiredString(
      repository.full_name,
      'repository.full_name',
    )}#${requiredId(deployment.id, 'deployment.id')}`,
    labels: deploymentLabels(
      requiredString(repository.name, 'repository.name'),
      deployment.payload,
    ),
    environment: requiredString(
      deployment.environment,
      'deployment.environment',
    ),
    version: ref && VERSION_LIKE_REF.test(ref) ? ref : sha,
    status,
    startedAt: requireTimestamp(deployment.created_at, 'deployment.created_at'),
    url: optionalString(deployment.url, 'deployment.url'),
    commit: sha,
    actor: sender && optionalString(sender.login, 'sender.login'),
  };
}

/**
 * The repository names the service, unless the deployment's free-form `payload` (an object, or
 * the JSON string the REST API also accepts) says otherwise: a monorepo deploying several
 * services sets `service`, or names the entity with `backstage.io/entity-ref` or `entityRef`.
 */
function deploymentLabels(
  repositoryName: string,
  payloadValue: Json,
): Record<string, string> {
  const payload = parseDeploymentPayload(payloadValue);
  const text = (key: string) => {
    const value = payload[key];
    return typeof value === 'string' && value.trim() ? value : undefined;
  };
  const labels: Record<string, string> = {
    service: text('service') ?? repositoryName,
  };
  const entityRef = text(ENTITY_REF_LABEL) ?? text('entityRef');
  if (entityRef) labels[ENTITY_REF_LABEL] = entityRef;
  return labels;
}

/** The payload is the deployer's own data: what is not an object carries no labels. */
function parseDeploymentPayload(value: Json): Record<string, Json> {
  if (typeof value === 'string') {
    try {
      const parsed: Json = JSON.parse(value);
      return isObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return isObject(value) ? value : {};
}
