import { errorMessage } from './format';

/**
 * Whether the answer says an optional backend plugin is not installed: the backend's root
 * router answers an unknown plugin's routes 404 with no body, where the plugin itself answers
 * a Backstage `NotFoundError` (e.g. for an incident correlation does not know).
 */
export function isBackendMissing(error: Error): boolean {
  const { statusCode, cause } = error as {
    statusCode?: number;
    cause?: { name?: string };
  };
  return statusCode === 404 && cause?.name !== 'NotFoundError';
}

/**
 * What to say when an optional backend failed, in one quiet line: it is never what the page is
 * about, so it never takes the page down. `what` names the feature and its plugin, e.g.
 * "Regression detection (aiops-regression)"; `doing` what failed, e.g. "load regressions".
 */
export function optionalBackendProblem(
  error: Error,
  what: string,
  doing: string,
): string {
  return isBackendMissing(error)
    ? `${what} is not installed.`
    : `Could not ${doing}: ${errorMessage(error)}`;
}
