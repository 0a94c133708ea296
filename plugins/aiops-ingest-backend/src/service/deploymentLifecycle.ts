import type { Deployment, EntityResolution } from '@aiops/plugin-aiops-common';
import type { DeploymentInput } from './inputs';

export type DeploymentChange = 'created' | 'updated' | 'unchanged';

const TERMINAL: ReadonlyArray<Deployment['status']> = [
  'succeeded',
  'failed',
  'rolled_back',
];

/**
 * Folds a deployment event into the stored deployment with the same sender id. Events of one
 * deployment (GitHub `deployment` then `deployment_status`, Argo CD running then succeeded)
 * arrive in any order: a finished state is never taken back by a late "started", and fields an
 * event does not carry keep their stored values.
 */
export function applyDeploymentEvent(
  existing: Deployment | undefined,
  input: DeploymentInput,
  resolution: EntityResolution,
  id: string,
): { deployment: Deployment; change: DeploymentChange } {
  if (!existing) {
    return {
      change: 'created',
      deployment: {
        id,
        source: input.source,
        externalId: input.externalId,
        resolution,
        environment: input.environment,
        version: input.version,
        previousVersion: input.previousVersion,
        status: input.status,
        startedAt: input.startedAt,
        finishedAt: input.finishedAt,
        url: input.url,
        commit: input.commit,
        actor: input.actor,
        summary: input.summary,
      },
    };
  }
  const lateStart =
    input.status === 'started' && TERMINAL.includes(existing.status);
  const merged: Deployment = {
    ...existing,
    resolution:
      existing.resolution.status === 'resolved'
        ? existing.resolution
        : resolution,
    environment: input.environment || existing.environment,
    version: input.version || existing.version,
    previousVersion: input.previousVersion ?? existing.previousVersion,
    status: lateStart ? existing.status : input.status,
    startedAt:
      Date.parse(input.startedAt) < Date.parse(existing.startedAt)
        ? input.startedAt
        : existing.startedAt,
    finishedAt: lateStart
      ? existing.finishedAt
      : input.finishedAt ?? existing.finishedAt,
    url: input.url ?? existing.url,
    commit: input.commit ?? existing.commit,
    actor: input.actor ?? existing.actor,
    summary: input.summary ?? existing.summary,
  };
  const changed = JSON.stringify(merged) !== JSON.stringify(existing);
  return { deployment: merged, change: changed ? 'updated' : 'unchanged' };
}
