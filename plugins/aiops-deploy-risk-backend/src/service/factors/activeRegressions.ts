import type { Factor } from '../types';
import { plural } from './time';

export const ACTIVE_REGRESSIONS_FACTOR = 'active-regressions@1';

/** A regression counts by its size, up to a doubling; the sum saturates at 3. */
const MAX_PER_REGRESSION = 1;
const MAX_VALUE = 3;

/**
 * An active regression means the service is already degraded: a new deploy stacks a change
 * on an unexplained one, and makes both harder to attribute.
 */
export const activeRegressions: Factor = {
  id: 'active-regressions',
  version: ACTIVE_REGRESSIONS_FACTOR,
  measure(input) {
    const regressions = [...input.regressions].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    const value = Math.min(
      MAX_VALUE,
      regressions.reduce(
        (s, r) =>
          s +
          0.5 +
          0.5 * Math.min(MAX_PER_REGRESSION, Math.abs(r.relativeChange || 0)),
        0,
      ),
    );
    const metrics = [...new Set(regressions.map(r => r.metric))].sort();
    return {
      id: this.id,
      version: this.version,
      label: 'Active regressions',
      value: Math.round(value * 1000) / 1000,
      explanation:
        regressions.length === 0
          ? 'No regression is active on the entity.'
          : `${plural(regressions.length, 'regression')} active on ${metrics
              .slice(0, 3)
              .join(', ')}${metrics.length > 3 ? ' and more' : ''}.`,
    };
  },
};
