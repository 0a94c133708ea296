import type {
  EntityRef,
  Finding,
  Regression,
} from '@aiops/plugin-aiops-common';
import { shortName } from '../topology';
import { toMs } from '../time';

export const REGRESSION_LINKED_RULE = 'regression-linked@1';

/**
 * Regressions of an incident's entities whose change point lies within `windowMs` before the
 * incident's onset or after it: the metric evidence next to the alerts (latency up since the
 * deploy, error rate up since the change point). One finding per regression, keyed by its id.
 */
export function regressionFindings(
  affected: EntityRef[],
  regressions: Regression[],
  onsetAt: number,
  options: { windowMs: number },
): Array<{ key: string; finding: Finding }> {
  const entities = new Set(affected);
  return regressions
    .filter(
      r =>
        entities.has(r.entityRef) &&
        toMs(r.changePointAt) >= onsetAt - options.windowMs,
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map(r => {
      const percent = Math.round(Math.abs(r.relativeChange) * 1000) / 10;
      return {
        key: `regression:${r.id}`,
        finding: {
          rule: REGRESSION_LINKED_RULE,
          summary: `${r.metric} of ${shortName(r.entityRef)} ${
            r.direction === 'increase' ? 'rose' : 'fell'
          } by ${percent}% (${r.before.mean} → ${r.after.mean}, p=${
            r.pValue
          }) from ${r.changePointAt}${
            r.deploymentId ? `, after deployment ${r.deploymentId}` : ''
          }`,
          evidence: [
            { kind: 'regression' as const, id: r.id },
            ...(r.deploymentId
              ? [{ kind: 'deployment' as const, id: r.deploymentId }]
              : []),
          ],
          // The test's own confidence, capped: a regression says what changed, not why.
          confidence: Math.round(Math.min(0.95, 1 - r.pValue) * 100) / 100,
        },
      };
    });
}
