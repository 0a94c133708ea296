import type { Dependent, Factor } from '../types';
import { plural } from './time';

export const BLAST_RADIUS_FACTOR = 'blast-radius@1';

/** A dependent's weight by tier; unknown tiers count like the lowest. */
export const TIER_WEIGHTS: Record<string, number> = {
  'tier-0': 3,
  'tier-1': 3,
  critical: 3,
  'tier-2': 2,
  high: 2,
  'tier-3': 1,
  medium: 1,
  low: 0.5,
};
/** A dependent's weight by lifecycle; unknown lifecycles count like production. */
export const LIFECYCLE_WEIGHTS: Record<string, number> = {
  production: 1,
  deprecated: 0.5,
  experimental: 0.3,
  development: 0.3,
};
/** Counted at most once each, the closest first: a hub's 10,000th dependent adds nothing new. */
const MAX_DEPENDENTS = 500;

export function dependentWeight(d: Dependent): number {
  const tier = TIER_WEIGHTS[(d.tier ?? '').toLowerCase()] ?? 1;
  const lifecycle = LIFECYCLE_WEIGHTS[(d.lifecycle ?? '').toLowerCase()] ?? 1;
  return (tier * lifecycle) / Math.max(1, d.depth);
}

/**
 * log(1 + Σ tier × lifecycle / depth) over the transitive dependents: a failure here reaches
 * them, and an incident on any of them within the outcome window counts as a failed deploy.
 * The logarithm keeps a platform hub from drowning every other factor.
 */
export const blastRadius: Factor = {
  id: 'blast-radius',
  version: BLAST_RADIUS_FACTOR,
  measure(input) {
    const byRef = new Map<string, Dependent>();
    for (const d of input.dependents) {
      const seen = byRef.get(d.entityRef);
      if (!seen || d.depth < seen.depth) byRef.set(d.entityRef, d);
    }
    const dependents = [...byRef.values()]
      .sort(
        (a, b) => a.depth - b.depth || a.entityRef.localeCompare(b.entityRef),
      )
      .slice(0, MAX_DEPENDENTS);
    const sum = dependents.reduce((s, d) => s + dependentWeight(d), 0);
    const direct = dependents.filter(d => d.depth === 1).length;
    const critical = dependents.filter(
      d => (TIER_WEIGHTS[(d.tier ?? '').toLowerCase()] ?? 1) >= 3,
    ).length;
    return {
      id: this.id,
      version: this.version,
      label: 'Blast radius',
      value: Math.round(Math.log1p(sum) * 1000) / 1000,
      explanation:
        dependents.length === 0
          ? 'Nothing in the catalog depends on this entity.'
          : `${plural(
              dependents.length,
              'entity depends',
              'entities depend',
            )} on it (${direct} directly), ${critical} of them top-tier.`,
    };
  },
};
