/** Most terms named in one explanation. */
export const SHARED_TERMS_LIMIT = 8;

/**
 * The query's words the candidate also has, the longer (more specific) first, then
 * alphabetically; at most `limit`.
 */
export function sharedTerms(
  queryTokens: Iterable<string>,
  candidateTokens: Iterable<string>,
  limit = SHARED_TERMS_LIMIT,
): string[] {
  const candidate = new Set(candidateTokens);
  return [...new Set(queryTokens)]
    .filter(token => candidate.has(token))
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .slice(0, limit);
}
