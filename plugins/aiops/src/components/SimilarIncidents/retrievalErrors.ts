import { errorMessage } from '../shared';

/**
 * Whether the answer says aiops-retrieval is not installed: the backend's root router answers
 * an unknown plugin's routes 404 with no body, where the plugin itself answers a Backstage
 * `NotFoundError` (e.g. for an incident correlation does not know).
 */
export function isRetrievalMissing(error: Error): boolean {
  const { statusCode, cause } = error as {
    statusCode?: number;
    cause?: { name?: string };
  };
  return statusCode === 404 && cause?.name !== 'NotFoundError';
}

/** What to say when retrieval failed: quietly, since it is never what the page is about. */
export function retrievalProblem(error: Error): string {
  return isRetrievalMissing(error)
    ? 'Past-incident retrieval (aiops-retrieval) is not installed.'
    : `Could not search past incidents: ${errorMessage(error)}`;
}
