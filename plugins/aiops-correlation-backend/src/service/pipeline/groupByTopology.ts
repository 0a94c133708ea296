import type { CorrelationStage } from './stage';
import { activeWithEntities } from '../activeIncidents';
import {
  findTopologyIncident,
  TOPOLOGY_GROUPING_RULE,
} from '../rules/topologyGrouping';
import { isPageLevel } from '../rules/anchors';
import { current } from './current';
import { join } from './join';

/** Related through the catalog (or observed calls): join that incident. */
export const groupByTopology: CorrelationStage = {
  name: 'group-by-topology',
  rule: TOPOLOGY_GROUPING_RULE,
  run(draft) {
    const alert = current(draft);
    if (!alert?.entityRef) return 'continue';
    const { topology } = draft.context.config;
    if (!topology.enabled) return 'continue';
    // Only incidents holding an entity the topology relates to this one can match.
    const candidates = activeWithEntities(
      draft.state,
      draft.context.graph.near(alert.entityRef, {
        maxHops: topology.maxHops,
        sameSystemHops: topology.sameSystem ? topology.maxHops : undefined,
      }),
    );
    const match = findTopologyIncident(
      alert.entityRef,
      alert.onsetAt,
      candidates,
      draft.state.alerts,
      draft.context.graph,
      draft.context.config.topology,
      {
        pageLevel: isPageLevel(alert.alert.severity),
        nowMs: draft.now,
        flap: draft.context.config.flap,
      },
    );
    if (!match) return 'continue';
    const { kind, hops, via } = match.relation;
    join(
      draft,
      alert,
      match.incident,
      TOPOLOGY_GROUPING_RULE,
      `${kind}${via ? ` ${via}` : ''} ${match.anchor} (${hops} hop${
        hops === 1 ? '' : 's'
      })`,
    );
    return 'stop';
  },
};
