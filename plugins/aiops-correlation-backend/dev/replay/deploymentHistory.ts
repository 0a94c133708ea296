import { InputError } from '@backstage/errors';
import {
  parseCdEvent,
  parseGenericDeployments,
  type DeploymentInput,
} from '@aiops/plugin-aiops-ingest-backend';
import { isRecord, readRecordedPayloads } from './records';

export interface DeploymentDelivery {
  /** Epoch ms. */
  at: number;
  input: DeploymentInput;
}

const NO_LIMIT = { maxItems: Number.MAX_SAFE_INTEGER };

/**
 * Reads recorded deployment events — CDEvents (bare, or as structured-mode CloudEvents) and
 * the generic format (one deployment or `{ "deployments": [...] }`) — with the receivers'
 * parsers. Each arrives when the log says it was received, else when it finished (or
 * started), which is also the time correlation files it under.
 */
export function readDeploymentHistory(files: string[]): DeploymentDelivery[] {
  return files.flatMap(file =>
    readRecordedPayloads(file, '--deployments', array =>
      array.every(isRecord),
    ).flatMap(payload => {
      const body = payload.body;
      let inputs: DeploymentInput[];
      try {
        inputs =
          isRecord(body) && ('context' in body || 'specversion' in body)
            ? parseCdEvent(body, {})
            : parseGenericDeployments(body, NO_LIMIT);
      } catch (error) {
        throw new InputError(
          `--deployments ${payload.origin}: ${(error as Error).message}`,
        );
      }
      return inputs.map(input => ({
        at:
          payload.receivedAt ?? Date.parse(input.finishedAt ?? input.startedAt),
        input,
      }));
    }),
  );
}
