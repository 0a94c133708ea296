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
  /** Saves and loads the state between batches, as a checkpoint does (JSON). */
  checkpoint = false,
) {
  let state = emptyCorrelationState();
  const decisions: CorrelationDecision[] = [];
  for (let i = 0; i < events.length; i += size) {
    const result = correlateSteps(events.slice(i, i + size), context, state, {
      inPlace: true,
      coalesce: true,
      refreshIntervalMs,
    });
    state = checkpoint
      ? JSON.parse(JSON.stringify(result.state))
      : result.state;
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

  /**
   * Replicas tick on their own clocks, and one that restarts replays the feeds from a checkpoint
   * with no ticks in between; both must come to the incidents the others stored, or an alert
   * ends up in two.
   */
  it.each(cases)(
    'ends %s with the same incidents whenever ticks come, and across checkpoints',
    (_name, scenario, catalog) => {
      const context = {
        graph: TopologyGraph.build(catalog),
        config: correlationConfig(),
        silences: scenarioSilences(scenario, catalog),
      };
      const scripted = scenarioEvents(scenario, catalog);
      const end = Date.parse(scripted[scripted.length - 1].at) + 2 * 3600_000;
      const last = { type: 'tick' as const, at: new Date(end).toISOString() };
      const expected = announced(
        correlateAll([...scripted, last], context).decisions,
      );
      const alertsOnly = scripted.filter(e => e.type !== 'tick');
      expect(
        announced(correlateAll([...alertsOnly, last], context).decisions),
      ).toEqual(expected);
      // Ticks 37 s after the scripted ones: another replica's phase.
      const shifted = scripted
        .map(e =>
          e.type === 'tick'
            ? { ...e, at: new Date(Date.parse(e.at) + 37_000).toISOString() }
            : e,
        )
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      expect(
        announced(correlateAll([...shifted, last], context).decisions),
      ).toEqual(expected);
      for (const size of [3, 20]) {
        expect(
          announced(
            inBatches([...scripted, last], size, context, 10_000, true)
              .decisions,
          ),
        ).toEqual(expected);
      }
    },
  );
});
