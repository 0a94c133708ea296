#!/usr/bin/env node
'use strict';

/**
 * `npm run bench:narrator` (docs/narrator.md#benchmark): the template narration of a large
 * incident, as the narrator runs it for every change of an incident — facts from the incident,
 * its deployments and the catalog, the hash that decides whether they changed, the template's
 * draft and the grounding check of it. Pure CPU, no database: what the backend's event loop
 * spends per narration.
 *
 * The incident is real correlation output: a 200-alert storm on the demo catalog (a bad cart
 * release cascading to checkout, frontend and payment, 20 deployments around it) replayed
 * through correlation's core, as the narrator's evaluation does with its scenarios.
 *
 * Options: --alerts=N (default 200), --iterations=N (default 1000), --no-write, --out=DIR.
 * Goal (issue [F]): p99 < 50 ms for a 200-alert incident.
 */

require('@backstage/cli/config/nodeTransform.cjs');

const os = require('node:os');
const { createHash } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { flag, option, writeReport } = require('./lib/cli');
const {
  buildNarrativeFacts,
  templateDraft,
} = require('../plugins/aiops-node/src/narrative');
const {
  checkGrounding,
} = require('../plugins/aiops-narrator-backend/src/service/grounding');
const {
  replayScenario,
} = require('../plugins/aiops-narrator-backend/src/evaluation/scenarioIncidents');
const {
  loadDemoCatalog,
} = require('../plugins/aiops-correlation-backend/src/evaluation/demoCatalog');
const {
  pods,
} = require('../plugins/aiops-correlation-backend/src/evaluation/scenarios');

const ALERTS = Number(option('alerts', 200));
const ITERATIONS = Number(option('iterations', 1000));
const GOAL_P99_MS = 50;

/** A bad cart release cascading through the shop: `ALERTS` per-pod alerts on four entities. */
function stormScenario() {
  const shares = [
    ['cart', 'CartErrorRate', 'critical', 1, 0.4],
    ['checkout', 'CheckoutErrorRate', 'critical', 2, 0.35],
    ['frontend', 'FrontendHighLatency', 'error', 3, 0.25],
  ];
  let left = ALERTS;
  const alerts = shares.flatMap(
    ([entity, title, severity, start, share], i) => {
      const count = i === shares.length - 1 ? left : Math.round(ALERTS * share);
      left -= count;
      // Pods of a replicated deployment alert within seconds of each other.
      return pods(entity, entity, title, severity, start, count).map(
        (alert, n) => ({ ...alert, episodes: [[start + n * 0.01, undefined]] }),
      );
    },
  );
  // Deployments of the affected entities and others in the hour before; cart's release last.
  const deployed = ['checkout', 'frontend', 'payment', 'ad', 'cart'];
  return {
    name: 'bench-200-alert-cascade',
    description: 'a bad cart release cascading through the shop',
    storm: true,
    deployments: Array.from({ length: 20 }, (_, i) => ({
      id: `deploy-${i}`,
      entity: i === 19 ? 'cart' : deployed[i % deployed.length],
      version: `2.${i}.0`,
      at: i === 19 ? 0 : -50 + i * 2,
    })),
    alerts,
    expected: { incidents: [] },
  };
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function main() {
  const startedAt = new Date();
  const catalog = loadDemoCatalog();
  const byRef = new Map(catalog.map(e => [e.entityRef, e]));
  const incidents = replayScenario(stormScenario(), catalog);
  const largest = incidents.sort(
    (a, b) => b.details.alerts.length - a.details.alerts.length,
  )[0];
  const input = {
    details: largest.details,
    deployments: largest.deployments,
    catalog: ref => byRef.get(ref),
  };
  const context = {
    knownEntities: catalog.map(e => ({
      ref: e.entityRef,
      name: e.name,
      ...(e.title && { title: e.title }),
    })),
  };
  const narrateOnce = () => {
    const facts = buildNarrativeFacts(input);
    createHash('sha256').update(JSON.stringify(facts)).digest('hex');
    const draft = templateDraft(facts);
    const grounding = checkGrounding(draft, facts, context);
    return { draft, grounding };
  };
  const first = narrateOnce();
  if (!first.grounding.passed) {
    console.error(
      `The template's draft failed its own grounding check: ${JSON.stringify(
        first.grounding.rejected,
      )}`,
    );
    process.exitCode = 1;
  }
  for (let i = 0; i < 50; i++) narrateOnce(); // warm-up: JIT
  const samples = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    narrateOnce();
    samples.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpuBefore);
  samples.sort((a, b) => a - b);
  const round = ms => +ms.toFixed(2);
  const report = {
    benchmark: 'template narration (facts, hash, template, grounding check)',
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      loadAverageBefore: os.loadavg().map(l => +l.toFixed(2)),
      node: process.version,
    },
    incident: {
      alerts: largest.details.alerts.length,
      findings: largest.details.findings.length,
      entities: largest.details.incident.affectedEntityRefs.length,
      deployments: largest.deployments.length,
      catalogEntities: catalog.length,
    },
    summary: first.draft.summary,
    groundingPassed: first.grounding.passed,
    iterations: ITERATIONS,
    latencyMs: {
      p50: round(percentile(samples, 0.5)),
      p90: round(percentile(samples, 0.9)),
      p99: round(percentile(samples, 0.99)),
      max: round(samples[samples.length - 1]),
      mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    },
    cpuMsPerNarration: round((cpu.user + cpu.system) / 1000 / ITERATIONS),
    goal: { p99Ms: GOAL_P99_MS },
    met: percentile(samples, 0.99) < GOAL_P99_MS,
  };
  console.log(JSON.stringify(report, null, 2));
  if (!flag('no-write')) {
    console.log(`Written to ${writeReport('narrator', startedAt, report)}`);
  }
  if (!report.met) process.exitCode = 1;
}

main();
