import type {
  Alert,
  Deployment,
  Finding,
  Incident,
  RootCauseCandidate,
} from '@aiops/plugin-aiops-common';
import type { CatalogEntitySummary } from '@aiops/plugin-aiops-node';
import { correlateAll } from '../service/correlate';
import { correlationConfig } from '../service/config';
import { TopologyGraph } from '../service/topology';
import type {
  CorrelationConfig,
  CorrelationDecision,
  CorrelationEvent,
  CoreSilence,
} from '../service/types';
import type { Scenario } from './scenarios';
import {
  addPairCounts,
  pairCounts,
  pairwiseF1,
  type PairCounts,
} from './pairwise';

/** Scenarios start here; any fixed instant would do, the harness never reads the clock. */
export const SCENARIO_START = Date.parse('2026-11-20T10:00:00.000Z');
const MINUTE = 60_000;
/** Alertmanager resends a firing alert this often (its repeat interval, shortened). */
const REPEAT_EVERY_MIN = 4;
/** Ticks run this long after the last scripted event, so incidents can resolve. */
const TAIL_MIN = 45;

const iso = (minutes: number) =>
  new Date(SCENARIO_START + minutes * MINUTE).toISOString();

function refOf(
  catalog: CatalogEntitySummary[],
  name: string,
): CatalogEntitySummary {
  const found = catalog.find(
    e => e.name === name && (e.kind === 'component' || e.kind === 'resource'),
  );
  if (!found)
    throw new Error(`No component or resource "${name}" in the catalog`);
  return found;
}

/** The scenario as the correlator sees it: alert deliveries, deployments and ticks in time order. */
export function scenarioEvents(
  scenario: Scenario,
  catalog: CatalogEntitySummary[],
): CorrelationEvent[] {
  const timed: Array<{ t: number; order: number; event: CorrelationEvent }> =
    [];
  for (const d of scenario.deployments ?? []) {
    const entity = refOf(catalog, d.entity);
    const deployment: Deployment = {
      id: d.id,
      source: d.source ?? 'generic',
      ...(d.summary && { summary: d.summary }),
      externalId: d.id,
      resolution: {
        status: 'resolved',
        entityRef: entity.entityRef,
        owner: entity.owner,
        system: entity.system,
        matchedBy: 'scenario',
      },
      environment: 'production',
      version: d.version,
      status: 'succeeded',
      startedAt: iso(d.at),
      finishedAt: iso(d.at + 1),
    };
    timed.push({
      t: d.at,
      order: 0,
      event: { type: 'deployment', at: iso(d.at), deployment },
    });
  }
  let last = 0;
  for (const a of scenario.alerts) {
    const entity = refOf(catalog, a.entity);
    // A sender whose clock runs ahead stamps its times late; deliveries arrive on time.
    const stamp = (minutes: number) => iso(minutes + (a.clockSkewMin ?? 0));
    const base = (
      status: Alert['status'],
      from: number,
      to?: number,
    ): Alert => ({
      id: a.id,
      fingerprint: a.id,
      source: 'alertmanager',
      status,
      severity: a.severity,
      title: a.title,
      labels: {
        ...a.labels,
        alertname: a.title,
        service: a.entity,
        pod: a.id,
      },
      annotations: {},
      resolution: {
        status: 'resolved',
        entityRef: entity.entityRef,
        owner: entity.owner,
        system: entity.system,
        matchedBy: 'scenario',
      },
      startsAt: stamp(from),
      endsAt: to !== undefined ? stamp(to) : undefined,
      firstSeenAt: iso(a.episodes[0][0]),
      lastSeenAt: iso(to ?? from),
      deliveryCount: 1,
    });
    for (const [from, to] of a.episodes) {
      const end = to ?? from + 30;
      for (let t = from; t < end; t += REPEAT_EVERY_MIN) {
        timed.push({
          t,
          order: 1,
          event: { type: 'alert', at: iso(t), alert: base('firing', from) },
        });
      }
      if (to !== undefined) {
        timed.push({
          t: to,
          order: 1,
          event: {
            type: 'alert',
            at: iso(to),
            alert: base('resolved', from, to),
          },
        });
      }
      last = Math.max(last, end);
    }
  }
  for (let t = -30; t <= last + TAIL_MIN; t += 1) {
    timed.push({ t, order: 2, event: { type: 'tick', at: iso(t) } });
  }
  return timed.sort((x, y) => x.t - y.t || x.order - y.order).map(x => x.event);
}

export function scenarioSilences(
  scenario: Scenario,
  catalog: CatalogEntitySummary[],
): CoreSilence[] {
  return (scenario.silences ?? []).map(s => ({
    id: s.id,
    matchers: [
      {
        name: 'entity',
        op: '=~',
        value: s.entities
          .map(e =>
            refOf(catalog, e).entityRef.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
          )
          .join('|'),
      },
    ],
    windows: [{ startsAt: iso(s.from), endsAt: iso(s.to) }],
  }));
}

export interface ProducedIncident {
  incident: Incident;
  /** Root causes when the incident opened: what on-call saw first. */
  rootCausesAtOpen: RootCauseCandidate[];
}

/** An incident opening later than this after its first alert's delivery is late. */
const DEFAULT_MAX_OPEN_DELAY_MIN = 1;

export interface ScenarioOutcome {
  scenario: Scenario;
  /** Incidents at the end; those merged into another on the way are counted in `absorbed`. */
  incidents: ProducedIncident[];
  absorbed: number;
  pairs: PairCounts;
  /** alert id → incident id, for alerts that reached an incident. */
  assignment: Map<string, string>;
  decisions: CorrelationDecision[];
  alertCount: number;
  firingDeliveries: number;
  /** Per expected incident: the produced incident holding most of its alerts, and the checks. */
  expectations: Array<{
    name: string;
    incidentId?: string;
    rootCause: string;
    top1: boolean;
    top3: boolean;
    top1AtOpen: boolean;
    openedLate: boolean;
    missingFindings: string[];
  }>;
  /** Alerts that should have opened nothing but reached an incident. */
  wronglyIncluded: string[];
  /** Alerts in an incident, and how many of them sit with the majority of their incident. */
  purity: { pure: number; total: number };
}

/** Replays a scenario and compares what came out with what was expected. */
export function runScenario(
  scenario: Scenario,
  catalog: CatalogEntitySummary[],
  config: CorrelationConfig = correlationConfig(),
): ScenarioOutcome {
  const graph = TopologyGraph.build(
    catalog,
    (scenario.observedEdges ?? []).map(e => ({
      caller: refOf(catalog, e.caller).entityRef,
      callee: refOf(catalog, e.callee).entityRef,
    })),
  );
  const events = scenarioEvents(scenario, catalog);
  const firstDeliveryAt = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'alert' && !firstDeliveryAt.has(event.alert.id))
      firstDeliveryAt.set(event.alert.id, Date.parse(event.at));
  }
  const { decisions } = correlateAll(events, {
    graph,
    config,
    silences: scenarioSilences(scenario, catalog),
  });

  const incidents = new Map<string, ProducedIncident>();
  const findings = new Map<string, Map<string, Finding>>();
  const assignment = new Map<string, string>();
  let opened = 0;
  for (const d of decisions) {
    if (d.type === 'open-incident') {
      opened++;
      incidents.set(d.incident.id, {
        incident: d.incident,
        rootCausesAtOpen: d.incident.rootCauseCandidates,
      });
      findings.set(
        d.incident.id,
        new Map(d.incident.findings.map((f, i) => [`open:${i}`, f])),
      );
    } else if (d.type === 'rank-root-causes') {
      const p = incidents.get(d.incidentId);
      if (p) p.incident = { ...p.incident, rootCauseCandidates: d.candidates };
    } else if (d.type === 'add-finding') {
      const p = incidents.get(d.incidentId);
      const byKey = findings.get(d.incidentId);
      if (p && byKey) {
        byKey.set(d.key, d.finding);
        p.incident = { ...p.incident, findings: [...byKey.values()] };
      }
    }
    if (d.type === 'attach-alert' || d.type === 'move-alert')
      assignment.set(d.alertId, d.incidentId);
    if (d.type === 'merge-incident') incidents.delete(d.sourceId);
  }
  const absorbed = opened - incidents.size;

  const expectedGroup = new Map<string, string>();
  for (const e of scenario.expected.incidents)
    for (const id of e.alertIds) expectedGroup.set(id, e.name);
  for (const id of scenario.expected.noIncident ?? [])
    expectedGroup.set(id, '(none)');

  // Purity: each produced incident is labelled by the expected group most of its alerts belong to.
  let pure = 0;
  let total = 0;
  for (const id of incidents.keys()) {
    const members = [...assignment]
      .filter(([, inc]) => inc === id)
      .map(([alertId]) => alertId);
    const counts = new Map<string, number>();
    for (const m of members) {
      const group = expectedGroup.get(m) ?? '(unexpected)';
      counts.set(group, (counts.get(group) ?? 0) + 1);
    }
    pure += Math.max(
      0,
      ...[...counts].filter(([g]) => g !== '(none)').map(([, c]) => c),
    );
    total += members.length;
  }

  const expectations = scenario.expected.incidents.map(e => {
    const counts = new Map<string, number>();
    for (const alertId of e.alertIds) {
      const inc = assignment.get(alertId);
      if (inc) counts.set(inc, (counts.get(inc) ?? 0) + 1);
    }
    const incidentId = [...counts].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    )[0]?.[0];
    const produced = incidentId ? incidents.get(incidentId) : undefined;
    const firstDelivery = Math.min(
      ...e.alertIds.map(id => firstDeliveryAt.get(id) ?? Infinity),
    );
    const openDelayMin = produced
      ? (Date.parse(produced.incident.openedAt) - firstDelivery) / MINUTE
      : Infinity;
    const ranked =
      produced?.incident.rootCauseCandidates.map(c => c.entityRef) ?? [];
    const atOpen = produced?.rootCausesAtOpen.map(c => c.entityRef) ?? [];
    const rules = produced?.incident.findings.map(f => f.rule) ?? [];
    return {
      name: e.name,
      incidentId,
      rootCause: e.rootCause,
      top1: ranked[0] === e.rootCause,
      top3: ranked.slice(0, 3).includes(e.rootCause),
      top1AtOpen: atOpen[0] === e.rootCause,
      openedLate:
        openDelayMin >
        (scenario.expected.maxOpenDelayMin ?? DEFAULT_MAX_OPEN_DELAY_MIN),
      missingFindings: (scenario.expected.findings?.[e.name] ?? []).filter(
        prefix => !rules.some(r => r.startsWith(prefix)),
      ),
    };
  });

  return {
    scenario,
    incidents: [...incidents.values()],
    absorbed,
    pairs: pairCounts(
      scenario.alerts.map(a => a.id),
      assignment,
      new Map([...expectedGroup].filter(([, group]) => group !== '(none)')),
    ),
    assignment,
    decisions,
    alertCount: scenario.alerts.length,
    firingDeliveries: events.filter(
      e => e.type === 'alert' && e.alert.status === 'firing',
    ).length,
    expectations,
    wronglyIncluded: (scenario.expected.noIncident ?? []).filter(id =>
      assignment.has(id),
    ),
    purity: { pure, total },
  };
}

export interface EvaluationReport {
  /** The catalog the scenarios ran on. */
  topology: string;
  scenarios: Array<{
    name: string;
    failureClass?: string;
    storm: boolean;
    alerts: number;
    firingDeliveries: number;
    incidents: number;
    expectedIncidents: number;
    /** Incidents that opened and were later merged into another by correlation. */
    absorbed: number;
    compression: number;
    purity: number;
    pairwiseF1: number;
    top1: number;
    top3: number;
    top1AtOpen: number;
    missingFindings: string[];
    wronglyIncluded: string[];
    openedLate: string[];
  }>;
  /** 1 − incidents / alerts over the storm scenarios. */
  stormCompression: number;
  /** 1 − incidents / firing deliveries over every scenario (repeats and re-fires counted). */
  deliveryCompression: number;
  /** Share of alerts in an incident that sit in the right one, over every scenario. */
  purity: number;
  /** F1 over alert pairs (together in both groupings), every scenario's pairs added up. */
  pairwiseF1: number;
  rootCauseTop1: number;
  rootCauseTop3: number;
  /** Top-1 at the moment the incident opened, before later alerts arrived. */
  rootCauseTop1AtOpen: number;
}

export function evaluate(
  scenarios: Scenario[],
  catalog: CatalogEntitySummary[],
  config?: CorrelationConfig,
  topology = 'demo',
): EvaluationReport {
  const outcomes = scenarios.map(s => runScenario(s, catalog, config));
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  const storms = outcomes.filter(o => o.scenario.storm);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const expectations = outcomes.flatMap(o => o.expectations);
  const share = (xs: boolean[]) => ratio(xs.filter(Boolean).length, xs.length);
  return {
    topology,
    scenarios: outcomes.map(o => ({
      name: o.scenario.name,
      failureClass: o.scenario.failureClass,
      storm: o.scenario.storm,
      alerts: o.alertCount,
      firingDeliveries: o.firingDeliveries,
      incidents: o.incidents.length,
      expectedIncidents: o.scenario.expected.incidents.length,
      absorbed: o.absorbed,
      compression: 1 - ratio(o.incidents.length, o.alertCount),
      purity: ratio(o.purity.pure, o.purity.total),
      pairwiseF1: pairwiseF1(o.pairs),
      top1: share(o.expectations.map(e => e.top1)),
      top3: share(o.expectations.map(e => e.top3)),
      top1AtOpen: share(o.expectations.map(e => e.top1AtOpen)),
      missingFindings: o.expectations.flatMap(e =>
        e.missingFindings.map(f => `${e.name}: ${f}`),
      ),
      wronglyIncluded: o.wronglyIncluded,
      openedLate: o.expectations.filter(e => e.openedLate).map(e => e.name),
    })),
    stormCompression:
      1 -
      ratio(
        sum(storms.map(o => o.incidents.length)),
        sum(storms.map(o => o.alertCount)),
      ),
    deliveryCompression:
      1 -
      ratio(
        sum(outcomes.map(o => o.incidents.length)),
        sum(outcomes.map(o => o.firingDeliveries)),
      ),
    purity: ratio(
      sum(outcomes.map(o => o.purity.pure)),
      sum(outcomes.map(o => o.purity.total)),
    ),
    pairwiseF1: pairwiseF1(addPairCounts(outcomes.map(o => o.pairs))),
    rootCauseTop1: share(expectations.map(e => e.top1)),
    rootCauseTop3: share(expectations.map(e => e.top3)),
    rootCauseTop1AtOpen: share(expectations.map(e => e.top1AtOpen)),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const COLUMNS: Array<[string, number]> = [
  ['scenario', 36],
  ['alerts', 6],
  ['deliveries', 10],
  ['inc/exp', 7],
  ['absorbed', 8],
  ['compression', 11],
  ['purity', 7],
  ['pair F1', 7],
  ['top1', 6],
  ['top3', 6],
  ['top1@open', 9],
];

function row(cells: string[]): string {
  return cells
    .map((cell, i) =>
      i === 0 ? cell.padEnd(COLUMNS[i][1]) : cell.padStart(COLUMNS[i][1]),
    )
    .join(' ');
}

export function formatReport(report: EvaluationReport): string {
  const rows = report.scenarios.map(s => {
    const problems = [
      s.missingFindings.length &&
        `missing findings: ${s.missingFindings.join(', ')}`,
      s.wronglyIncluded.length &&
        `wrongly included: ${s.wronglyIncluded.join(', ')}`,
      s.openedLate.length && `opened late: ${s.openedLate.join(', ')}`,
    ].filter(Boolean);
    return `${row([
      s.name,
      String(s.alerts),
      String(s.firingDeliveries),
      `${s.incidents}/${s.expectedIncidents}`,
      String(s.absorbed),
      pct(s.compression),
      pct(s.purity),
      pct(s.pairwiseF1),
      pct(s.top1),
      pct(s.top3),
      pct(s.top1AtOpen),
    ])}${problems.length ? `  ${problems.join('; ')}` : ''}`;
  });
  return [
    `topology: ${report.topology}`,
    row(COLUMNS.map(([name]) => name)),
    ...rows,
    '',
    `storm compression (alerts → incidents): ${pct(
      report.stormCompression,
    )}   target ≥ 90%`,
    `delivery compression (firing deliveries → incidents, all scenarios): ${pct(
      report.deliveryCompression,
    )}`,
    `grouping purity: ${pct(report.purity)}   target ≥ 95%`,
    `pairwise F1 (alert pairs): ${pct(report.pairwiseF1)}   target ≥ 95%`,
    `root cause top-1: ${pct(
      report.rootCauseTop1,
    )}   target ≥ 90%   (top-1 when the incident opened: ${pct(
      report.rootCauseTop1AtOpen,
    )})`,
    `root cause top-3: ${pct(report.rootCauseTop3)}`,
  ].join('\n');
}
