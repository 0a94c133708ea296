/* eslint-disable @backstage/no-relative-monorepo-imports */
// Correlation keeps its pure core and evaluation harness private (not exported from its
// package, issue 23 [M] #5); the narrator's evaluation replays the same scenarios through them.
import type {
  Alert,
  Deployment,
  Finding,
  Incident,
  IncidentDetails,
} from '@aiops/plugin-aiops-common';
import type { CatalogEntitySummary } from '@aiops/plugin-aiops-node';
import { correlateSteps } from '../../../aiops-correlation-backend/src/service/correlate';
import { correlationConfig } from '../../../aiops-correlation-backend/src/service/config';
import { TopologyGraph } from '../../../aiops-correlation-backend/src/service/topology';
import { emptyCorrelationState } from '../../../aiops-correlation-backend/src/service/correlate';
import {
  scenarioEvents,
  scenarioSilences,
} from '../../../aiops-correlation-backend/src/evaluation/evaluate';
import type { Scenario } from '../../../aiops-correlation-backend/src/evaluation/scenarios';
import { TOPOLOGIES } from '../../../aiops-correlation-backend/src/evaluation/topologies';
import type { KnownEntity } from '../service/grounding';
import { demoStorylineScenario } from './demoStoryline';
import type { FactsInput } from '@aiops/plugin-aiops-node';

/** An incident correlation produced on an evaluation scenario, as the narrator would read it. */
export interface ScenarioIncident {
  topology: string;
  scenario: string;
  input: FactsInput;
  knownEntities: KnownEntity[];
}

function findEntity(catalog: CatalogEntitySummary[], name: string) {
  const found = catalog.find(
    e => e.name === name && (e.kind === 'component' || e.kind === 'resource'),
  );
  if (!found)
    throw new Error(`No component or resource "${name}" in the catalog`);
  return found.entityRef;
}

function detailsOf(
  incident: Incident,
  findingsByKey: Record<string, Finding>,
  alerts: Map<string, Alert>,
): IncidentDetails {
  return {
    incident,
    alerts: incident.alertIds.map(alertId => {
      const alert = alerts.get(alertId);
      return {
        alertId,
        role: 'member' as const,
        attachedAt: incident.openedAt,
        ...(alert && {
          details: {
            name: alert.labels.alertname ?? alert.title,
            title: alert.title,
            ...(alert.resolution.status === 'resolved' && {
              entityRef: alert.resolution.entityRef,
            }),
            severity: alert.severity,
            status: alert.status,
            startsAt: alert.startsAt,
            ...(alert.endsAt && { endsAt: alert.endsAt }),
            lastSeenAt: alert.lastSeenAt,
          },
        }),
      };
    }),
    findings: Object.entries(findingsByKey).map(([key, finding]) => ({
      key,
      finding,
      updatedAt: incident.updatedAt,
    })),
    timeline: [],
    alertDetails: 'available',
  };
}

/**
 * Replays a scenario through correlation's core and returns each incident as it last stood,
 * with its findings by key: what `GET /incidents/:id` would serve at the end. Incidents merged
 * into another are left out, like the correlation evaluation does.
 */
export function replayScenario(
  scenario: Scenario,
  catalog: CatalogEntitySummary[],
  /** Called after each event with its time and the open incidents as they stand then. */
  onEvent?: (
    at: string,
    open: Array<{ details: IncidentDetails; deployments: Deployment[] }>,
  ) => void,
): Array<{ details: IncidentDetails; deployments: Deployment[] }> {
  const graph = TopologyGraph.build(
    catalog,
    (scenario.observedEdges ?? []).map(e => ({
      caller: findEntity(catalog, e.caller),
      callee: findEntity(catalog, e.callee),
    })),
  );
  const context = {
    graph,
    config: correlationConfig(),
    silences: scenarioSilences(scenario, catalog),
  };
  const state = emptyCorrelationState();
  const alerts = new Map<string, Alert>();
  const deployments: Deployment[] = [];
  const last = new Map<
    string,
    { incident: Incident; findingsByKey: Record<string, Finding> }
  >();
  for (const event of scenarioEvents(scenario, catalog)) {
    if (event.type === 'alert') alerts.set(event.alert.id, event.alert);
    if (event.type === 'deployment') deployments.push(event.deployment);
    correlateSteps([event], context, state, { inPlace: true });
    for (const inc of Object.values(state.incidents)) {
      if (inc.phase === 'open')
        last.set(inc.incident.id, {
          incident: inc.incident,
          findingsByKey: inc.findingsByKey,
        });
    }
    onEvent?.(
      event.at,
      Object.values(state.incidents)
        .filter(inc => inc.phase === 'open' && !inc.incident.mergedInto)
        .map(inc => ({
          details: detailsOf(inc.incident, inc.findingsByKey, alerts),
          deployments: [...deployments],
        })),
    );
  }
  return [...last.values()]
    .filter(({ incident }) => !incident.mergedInto)
    .sort((a, b) => a.incident.id.localeCompare(b.incident.id))
    .map(({ incident, findingsByKey }) => ({
      details: detailsOf(incident, findingsByKey, alerts),
      deployments,
    }));
}

/** The correlation evaluation's topologies, and one cycle of the demo storyline on the demo catalog. */
export function evaluationTopologies(): Array<{
  name: string;
  catalog: () => CatalogEntitySummary[];
  scenarios: Scenario[];
}> {
  const [demo] = TOPOLOGIES;
  return [
    ...TOPOLOGIES,
    {
      name: 'demo storyline (npm start)',
      catalog: demo.catalog,
      scenarios: [demoStorylineScenario()],
    },
  ];
}

/** Every incident of every scenario of `evaluationTopologies`, as it last stood. */
export function scenarioIncidents(): ScenarioIncident[] {
  return evaluationTopologies().flatMap(topology => {
    const catalog = topology.catalog();
    const byRef = new Map(catalog.map(e => [e.entityRef, e]));
    const knownEntities = catalog.map(e => ({
      ref: e.entityRef,
      name: e.name,
      ...(e.title && { title: e.title }),
    }));
    return topology.scenarios.flatMap(scenario =>
      replayScenario(scenario, catalog).map(({ details, deployments }) => ({
        topology: topology.name,
        scenario: scenario.name,
        input: {
          details,
          deployments,
          catalog: (ref: string) => byRef.get(ref),
        },
        knownEntities,
      })),
    );
  });
}
