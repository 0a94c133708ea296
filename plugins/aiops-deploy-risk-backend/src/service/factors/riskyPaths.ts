import type { Factor } from '../types';
import { classifyPaths, type PathKind } from './pathClassifier';

export const RISKY_PATHS_FACTOR = 'risky-paths@1';

/**
 * Points per kind of risky change touched (once per kind, however many files): migrations
 * and infrastructure change what cannot simply be rolled back; dependency bumps and config
 * change behaviour without changing the code under review.
 */
export const PATH_KIND_POINTS: Record<PathKind, number> = {
  migration: 1,
  infrastructure: 1,
  'dependency-manifest': 0.6,
  config: 0.6,
};

const kindName: Record<PathKind, string> = {
  migration: 'database migrations',
  infrastructure: 'infrastructure',
  'dependency-manifest': 'dependency manifests',
  config: 'configuration',
};

export const riskyPaths: Factor = {
  id: 'risky-paths',
  version: RISKY_PATHS_FACTOR,
  measure(input) {
    const paths = input.request.diffStats?.paths ?? [];
    const counts = classifyPaths(paths);
    const kinds = (Object.keys(counts) as PathKind[]).filter(
      k => counts[k] > 0,
    );
    const value = kinds.reduce((s, k) => s + PATH_KIND_POINTS[k], 0);
    return {
      id: this.id,
      version: this.version,
      label: 'Risky paths',
      value: Math.round(value * 1000) / 1000,
      explanation: explain(paths.length, kinds, counts),
    };
  },
};

function explain(
  pathCount: number,
  kinds: PathKind[],
  counts: Record<PathKind, number>,
): string {
  if (pathCount === 0) return 'No changed paths were given.';
  if (kinds.length === 0) {
    return 'No migration, infrastructure, dependency or config file is changed.';
  }
  return `The change touches ${kinds
    .map(k => `${kindName[k]} (${counts[k]})`)
    .join(', ')}.`;
}
