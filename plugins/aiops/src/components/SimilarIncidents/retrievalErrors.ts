import { optionalBackendProblem } from '../shared';

/** What to say when retrieval failed: quietly, since it is never what the page is about. */
export function retrievalProblem(error: Error): string {
  return optionalBackendProblem(
    error,
    'Past-incident retrieval (aiops-retrieval)',
    'search past incidents',
  );
}
