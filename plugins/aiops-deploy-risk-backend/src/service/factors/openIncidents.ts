import type { Severity } from '@aiops/plugin-aiops-common';
import type { Factor } from '../types';
import { plural } from './time';

export const OPEN_INCIDENTS_FACTOR = 'open-incidents@1';

/** How much one open incident on the entity counts; one on a dependency counts half. */
export const SEVERITY_POINTS: Record<Severity, number> = {
  critical: 1,
  error: 0.6,
  warning: 0.3,
  info: 0.1,
};
const DEPENDENCY_SHARE = 0.5;
/** Ten warnings are not ten times as bad as one: the value saturates. */
const MAX_VALUE = 2;

/**
 * Deploying into an unstable system fails more often, and a failure is harder to tell apart
 * from the incident already under way. An open critical incident on the entity blocks.
 */
export const openIncidents: Factor = {
  id: 'open-incidents',
  version: OPEN_INCIDENTS_FACTOR,
  measure(input) {
    const own = input.incidents.filter(i => i.relation === 'entity');
    const deps = input.incidents.filter(i => i.relation === 'dependency');
    const points =
      own.reduce((sum, i) => sum + (SEVERITY_POINTS[i.severity] ?? 0), 0) +
      DEPENDENCY_SHARE *
        deps.reduce((sum, i) => sum + (SEVERITY_POINTS[i.severity] ?? 0), 0);
    const critical = own
      .filter(i => i.severity === 'critical')
      .map(i => i.id)
      .sort();
    const explanation =
      own.length + deps.length === 0
        ? 'No incident is open on the entity or its dependencies.'
        : `${plural(own.length, 'incident')} open on the entity${
            critical.length ? ` (${critical.length} critical)` : ''
          } and ${plural(deps.length, 'incident')} on its dependencies.`;
    return {
      id: this.id,
      version: this.version,
      label: 'Open incidents',
      value: Math.min(MAX_VALUE, round(points)),
      explanation,
      ...(critical.length
        ? {
            block: `a critical incident is open on the entity (${critical.join(
              ', ',
            )})`,
          }
        : {}),
    };
  },
};

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
