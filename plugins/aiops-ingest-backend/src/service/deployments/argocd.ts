import {
  type DeploymentStatus,
  trimTrailing,
} from '@aiops/plugin-aiops-common';
import type { DeploymentInput } from '../inputs';
import {
  type Json,
  oneOf,
  optionalString,
  requireObject,
  stringMap,
} from '../validation';
import {
  DEFAULT_ENVIRONMENT,
  deploymentTimes,
  fieldPath,
  requiredString,
} from './fields';

/** `app.status.operationState.phase` → status; `Terminating` is never sent by our triggers. */
const STATUS_BY_PHASE = {
  Running: 'started',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Error: 'failed',
} as const satisfies Record<string, DeploymentStatus>;
const OPERATION_PHASES = Object.keys(STATUS_BY_PHASE) as Array<
  keyof typeof STATUS_BY_PHASE
>;

/** What Go templates print for a missing field, should a template quote it instead of `toJson`. */
const GO_TEMPLATE_MISSING_VALUE = '<no value>';

const GIT_COMMIT = /^[0-9a-f]{40}$/;

/**
 * The body that the `aiops-deployment` template in docs/ingest/argocd-notifications.yaml
 * renders (Argo CD has no webhook format of its own): `app`, `revision`, `operationPhase`,
 * `startedAt` required; `finishedAt`, `previousRevision`, `project`, `destinationNamespace`,
 * `initiatedBy`, `environment` (default production), `argocdUrl`, `labels` (the Application's
 * labels) optional. One sync operation is one deployment: its running and finished
 * notifications share an external id.
 */
export function parseArgoCdNotification(body: Json): DeploymentInput[] {
  const notification = Object.fromEntries(
    Object.entries(requireObject(body, 'body')).map(([key, value]) => [
      key,
      value === GO_TEMPLATE_MISSING_VALUE ? undefined : value,
    ]),
  );
  const at = fieldPath('');
  const app = requiredString(notification.app, 'app');
  const revision = requiredString(notification.revision, 'revision');
  const phase = oneOf(
    notification.operationPhase,
    OPERATION_PHASES,
    'operationPhase',
  );
  const times = deploymentTimes(
    notification.startedAt,
    notification.finishedAt,
    at,
  );

  const labels: Record<string, string> = { app };
  const namespace = optionalString(
    notification.destinationNamespace,
    'destinationNamespace',
  );
  if (namespace) labels.namespace = namespace;
  const project = optionalString(notification.project, 'project');
  if (project) labels.project = project;
  // The Application's own labels (`app.kubernetes.io/name`, `service`…) key it best.
  Object.assign(labels, stringMap(notification.labels, 'labels'));

  const argocdUrl = optionalString(notification.argocdUrl, 'argocdUrl');
  return [
    {
      source: 'argocd',
      externalId: `argocd:${app}:${revision}:${times.startedAt}`,
      labels,
      environment:
        optionalString(notification.environment, 'environment') ??
        DEFAULT_ENVIRONMENT,
      version: revision,
      previousVersion: optionalString(
        notification.previousRevision,
        'previousRevision',
      ),
      status: STATUS_BY_PHASE[phase],
      ...times,
      url: argocdUrl && applicationUrl(argocdUrl, app),
      // Helm sources have chart versions for revisions; only a Git SHA is a commit.
      commit: GIT_COMMIT.test(revision) ? revision : undefined,
      actor: optionalString(notification.initiatedBy, 'initiatedBy'),
    },
  ];
}

/**
 * The Application's page in the Argo CD UI. `encodeURIComponent` throws on a lone UTF-16
 * surrogate, which a JSON `\ud800` escape can put in `app`: the body reader refuses those, and
 * `toWellFormed` keeps this function total for any other caller.
 */
function applicationUrl(argocdUrl: string, app: string): string {
  return `${trimTrailing(argocdUrl, '/')}/applications/${encodeURIComponent(
    app.toWellFormed(),
  )}`;
}
