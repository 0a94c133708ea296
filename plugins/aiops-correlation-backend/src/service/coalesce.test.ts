import { scenarioEvents, scenarioSilences } from '../evaluation/evaluate';
import { TOPOLOGIES } from '../evaluation/topologies';
import {
  correlateAll,
  correlateSteps,
  emptyCorrelationState,
} from './correlate';
import { correlationConfig } from './config';
import { TopologyGraph } from './topology';
import type { CorrelationDecision, CorrelationEvent } from './types';

const cases = TOPOLOGIES.flatMap(topology => {
  const catalog = topology.catalog();
  return topology.scenarios.map(
    scenario => [scenario.name, scenario, catalog] as const,
  );
});

/**
 * What was announced: each incident's alerts, and which incidents resolved. How often a
 * flapping incident resolved and reopened on the way is a matter of timing: a batch announces
 * an opening at its end and resolves nothing before that.
 */
function announced(decisions: CorrelationDecision[]) {
  const members: Record<string, string[]> = {};
  const resolved: string[] = [];
  for (const d of decisions) {
    if (d.type === 'open-incident')
      members[d.incident.id] = [...d.incident.alertIds];
    if (d.type === 'attach-alert') members[d.incidentId].push(d.alertId);
    if (d.type === 'move-alert') {
      // An incident opening in the same batch is announced later, with the alert.
      members[d.fromIncidentId] = (members[d.fromIncidentId] ?? []).filter(
        id => id !== d.alertId,
      );
      (members[d.incidentId] ??= []).push(d.alertId);
    }
    if (d.type === 'merge-incident') delete members[d.sourceId];
    if (d.type === 'resolve-incident') resolved.push(d.incidentId);
  }
  for (const id of Object.keys(members))
    if (members[id].length === 0) delete members[id];
  for (const id of Object.keys(members))
    members[id] = [...new Set(members[id])].sort();
  return { members, resolved: [...new Set(resolved)].sort() };
}

function inBatches(
  events: CorrelationEvent[],
  size: number,
  context: any,
  refreshIntervalMs = 0,
) {
  let state = emptyCorrelationState();
  const decisions: CorrelationDecision[] = [];
  for (let i = 0; i < events.length; i += size) {
    const result = correlateSteps(events.slice(i, i + size), context, state, {
      inPlace: true,
      coalesce: true,
      refreshIntervalMs,
    });
    state = result.state;
    decisions.push(...result.steps.flatMap(s => s.decisions));
  }
  return { state, decisions };
}

describe('coalesced refresh', () => {
  it.each(cases)(
    'ends %s with the same incidents as correlating event by event',
    (_name, scenario, catalog) => {
      const context = {
        graph: TopologyGraph.build(catalog),
        config: correlationConfig(),
        silences: scenarioSilences(scenario, catalog),
      };
      const scripted = scenarioEvents(scenario, catalog);
      // Time passes after the last event, so both ways end with everything resolved.
      const end = Date.parse(scripted[scripted.length - 1].at) + 2 * 3600_000;
      const events = [
        ...scripted,
        { type: 'tick' as const, at: new Date(end).toISOString() },
      ];
      const expected = announced(correlateAll(events, context).decisions);
      expect(Object.keys(expected.members).length).toBeGreaterThan(0);
      for (const size of [2, 5, scripted.length]) {
        expect(announced(inBatches(events, size, context).decisions)).toEqual(
          expected,
        );
      }
      // Re-deriving open incidents less often changes no membership either.
      expect(
        announced(inBatches(events, 2, context, 10 * 60_000).decisions),
      ).toEqual(expected);
    },
  );
});
