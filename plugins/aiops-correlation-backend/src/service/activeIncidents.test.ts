import { scenarioEvents, scenarioSilences } from '../evaluation/evaluate';
import { TOPOLOGIES } from '../evaluation/topologies';
import {
  activeIncidents,
  activeWithEntities,
  activeWithGroupKey,
  pendingIncidents,
} from './activeIncidents';
import { correlateSteps, emptyCorrelationState } from './correlate';
import { correlationConfig } from './config';
import { TopologyGraph } from './topology';
import type { CorrelationState } from './types';

/** What the lookups answer, by incident id, for every key and entity the state knows. */
function answers(state: CorrelationState) {
  const ids = (list: Array<{ incident: { id: string } }>) =>
    list.map(i => i.incident.id);
  const keys = new Set(Object.values(state.alerts).map(a => a.groupKey));
  const entities = new Set(
    Object.values(state.alerts).flatMap(a =>
      a.entityRef ? [a.entityRef] : [],
    ),
  );
  return {
    active: ids(activeIncidents(state)),
    pending: ids(pendingIncidents(state)),
    byKey: [...keys].sort().map(key => [
      key,
      // Group-key candidates are checked against the incident's keys by the rule.
      ids(
        activeWithGroupKey(state, key).filter(i => i.groupKeys.includes(key)),
      ).sort(),
    ]),
    byEntity: [...entities]
      .sort()
      .map(ref => [
        ref,
        ids(activeWithEntities(state, [ref])).filter(id =>
          state.incidents[id].incident.alertIds.some(
            a => state.alerts[a]?.entityRef === ref,
          ),
        ),
      ]),
  };
}

describe('active incident lookups kept up to date event by event', () => {
  const cases = TOPOLOGIES.flatMap(topology => {
    const catalog = topology.catalog();
    return topology.scenarios.map(s => [s.name, s, catalog] as const);
  });

  it.each(cases)(
    'answer on %s as if rebuilt from the state after every batch',
    (_name, scenario, catalog) => {
      const context = {
        graph: TopologyGraph.build(catalog),
        config: correlationConfig({ groupWaitMs: 60_000 }),
        silences: scenarioSilences(scenario, catalog),
      };
      const events = scenarioEvents(scenario, catalog);
      let state = emptyCorrelationState();
      for (let i = 0; i < events.length; i += 3) {
        state = correlateSteps(events.slice(i, i + 3), context, state, {
          inPlace: true,
          coalesce: true,
        }).state;
        // A copy has no index: its lookups are built from scratch.
        expect(answers(state)).toEqual(answers(structuredClone(state)));
      }
    },
  );
});
