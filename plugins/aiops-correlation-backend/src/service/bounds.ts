/**
 * Limits on what one incident's derived data lists. A storm makes incidents of hundreds of
 * alerts on dozens of entities; listing all of them in every candidate, finding and timeline
 * entry made each refresh rewrite (and each reader page through) lists that grow with the
 * storm, while nobody reads past the first few. The full membership stays on the incident's
 * alerts; what is left out is counted.
 */
export const MAX_EVIDENCE = 25;
export const MAX_ROOT_CAUSE_CANDIDATES = 10;
export const MAX_NAMES = 10;

/** The first `max` items (callers order them most telling first). */
export function bounded<T>(items: T[], max = MAX_EVIDENCE): T[] {
  return items.length > max ? items.slice(0, max) : items;
}

/** `a, b, c and 7 more` */
export function nameList(names: string[], max = MAX_NAMES): string {
  const shown = bounded(names, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
