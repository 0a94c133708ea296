import type { EntityRef, Finding } from '@aiops/plugin-aiops-common';
import { shortName, type TopologyGraph } from '../topology';

export const OBSERVED_TOPOLOGY_RULE = 'observed-topology@1';

/**
 * Calls seen in traces that the catalog does not declare, touching an affected entity. The
 * disagreement is itself worth knowing during an incident: the failure may travel along an
 * edge nobody wrote down.
 */
export function observedTopologyFindings(
  affected: EntityRef[],
  graph: TopologyGraph,
): Array<{ key: string; finding: Finding }> {
  const set = new Set(affected);
  return graph
    .diffObserved()
    .undeclared.filter(edge => set.has(edge.from) || set.has(edge.to))
    .map(edge => ({
      key: `observed:${edge.from}->${edge.to}`,
      finding: {
        rule: OBSERVED_TOPOLOGY_RULE,
        summary: `${shortName(edge.from)} calls ${shortName(
          edge.to,
        )} but the catalog does not say so`,
        evidence: [
          { kind: 'edge', id: `${edge.from}->${edge.to}` },
          { kind: 'entity', id: edge.from },
          { kind: 'entity', id: edge.to },
        ],
        confidence: 0.8,
      },
    }));
}
