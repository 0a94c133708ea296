import { scenarioEvents, scenarioSilences } from '../../evaluation/evaluate';
import { TOPOLOGIES } from '../../evaluation/topologies';
import { correlateSteps, emptyCorrelationState } from '../correlate';
import { correlationConfig } from '../config';
import { TopologyGraph } from '../topology';
import { freshIncidentShape, incidentShape } from './topologyGrouping';

describe("an incident's remembered shape", () => {
  const cases = TOPOLOGIES.flatMap(topology => {
    const catalog = topology.catalog();
    return topology.scenarios.map(s => [s.name, s, catalog] as const);
  });

  it.each(cases)(
    'is on %s, after every batch, what deriving it anew gives',
    (_name, scenario, catalog) => {
      const graph = TopologyGraph.build(catalog);
      const context = {
        graph,
        config: correlationConfig(),
        silences: scenarioSilences(scenario, catalog),
      };
      const events = scenarioEvents(scenario, catalog);
      let state = emptyCorrelationState();
      let compared = 0;
      for (let i = 0; i < events.length; i += 3) {
        state = correlateSteps(events.slice(i, i + 3), context, state, {
          inPlace: true,
          coalesce: true,
        }).state;
        for (const inc of Object.values(state.incidents)) {
          const remembered = incidentShape(inc, state.alerts, graph);
          const fresh = freshIncidentShape(inc, state.alerts, graph);
          expect({
            entities: remembered.entities,
            roots: remembered.roots,
            pageLevel: [...remembered.pageLevel].map(([ref, list]) => [
              ref,
              list.map(a => a.alert.id),
            ]),
          }).toEqual({
            entities: fresh.entities,
            roots: fresh.roots,
            pageLevel: [...fresh.pageLevel].map(([ref, list]) => [
              ref,
              list.map(a => a.alert.id),
            ]),
          });
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    },
  );
});
