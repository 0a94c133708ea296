#!/usr/bin/env node
'use strict';

/**
 * Correlation throughput benchmark: `npm run bench:correlation` (see docs/benchmarks.md).
 *
 * Runs the pure correlation core — the same `correlateSteps` the plugin's engine calls per
 * batch — on a synthetic catalog of 1,000 components (40 systems of 25 services, each with a
 * few dependencies inside its system and one shared Resource per system) against a stream of
 * alert storms (a root service and its dependents up to 3 hops) mixed with unrelated noise,
 * every alert resolving later. Reports events per second, per-batch latency and the resulting
 * compression, and writes bench/results/correlation-<date>.json and correlation-latest.json.
 *
 * Options: --alerts=N (default 20000), --batch=N events per batch (default 100), --no-write.
 */

require('@backstage/cli/config/nodeTransform.cjs');

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const {
  largeCatalogSummaries,
  random,
  SYSTEMS,
  PER_SYSTEM,
} = require('./lib/largeCatalog');
const {
  correlateSteps,
  correlationConfig,
  emptyCorrelationState,
  TopologyGraph,
} = require('../plugins/aiops-correlation-backend/src');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const found = args.find(a => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const ALERTS = option('alerts', 20_000);
const BATCH = option('batch', 100);
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-25T00:00:00Z');

function alert(id, entityRef, startMs, severity) {
  const at = new Date(startMs).toISOString();
  return {
    id,
    fingerprint: id,
    source: 'alertmanager',
    status: 'firing',
    severity,
    title: `Alert ${id}`,
    labels: { alertname: `A${id}` },
    annotations: {},
    resolution: { status: 'resolved', entityRef, matchedBy: 'bench' },
    startsAt: at,
    firstSeenAt: at,
    lastSeenAt: at,
    deliveryCount: 1,
  };
}

/** Storms (a root and its dependents) and noise, each alert resolving 5–20 minutes later. */
function stream(entities) {
  const rand = random(7);
  const byRef = new Map(entities.map(e => [e.entityRef, e]));
  const components = entities.filter(e => e.kind === 'component');
  const events = [];
  let clock = T0;
  let n = 0;
  let storms = 0;
  while (n < ALERTS) {
    clock += Math.floor(rand() * 20_000);
    const push = (entityRef, offset, severity) => {
      const id = `a${n++}`;
      const fired = alert(id, entityRef, clock + offset, severity);
      const resolvedAt = clock + offset + (5 + Math.floor(rand() * 15)) * MINUTE;
      events.push({ type: 'alert', at: fired.startsAt, alert: fired });
      events.push({
        type: 'alert',
        at: new Date(resolvedAt).toISOString(),
        alert: { ...fired, status: 'resolved', endsAt: new Date(resolvedAt).toISOString(), lastSeenAt: new Date(resolvedAt).toISOString() },
      });
    };
    if (rand() < 0.3) {
      storms++;
      const root = components[Math.floor(rand() * components.length)];
      push(root.entityRef, 0, 'critical');
      let frontier = [root.entityRef];
      for (let hop = 1; hop <= 3 && n < ALERTS; hop++) {
        frontier = frontier.flatMap(ref => byRef.get(ref).dependencyOf).slice(0, 6);
        for (const ref of frontier) if (n < ALERTS) push(ref, hop * 30_000, 'error');
      }
    } else {
      push(components[Math.floor(rand() * components.length)].entityRef, 0, 'warning');
    }
  }
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { events, storms };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function main() {
  const entities = largeCatalogSummaries();
  const graph = TopologyGraph.build(entities);
  const context = { graph, config: correlationConfig({}), silences: [] };
  const { events, storms } = stream(entities);

  let state = emptyCorrelationState();
  const batchMs = [];
  let opened = 0;
  const sizes = new Map();
  const started = performance.now();
  for (let i = 0; i < events.length; i += BATCH) {
    const batch = events.slice(i, i + BATCH);
    const t = performance.now();
    // As the plugin's engine does: the state is updated in place, batch after batch.
    const result = correlateSteps(batch, context, state, { inPlace: true });
    batchMs.push(performance.now() - t);
    state = result.state;
    for (const step of result.steps) {
      for (const d of step.decisions) {
        if (d.type === 'open-incident') opened++;
        if (d.type === 'attach-alert') {
          sizes.set(d.incidentId, (sizes.get(d.incidentId) ?? 0) + 1);
        }
      }
    }
  }
  const totalMs = performance.now() - started;
  batchMs.sort((a, b) => a - b);
  const firing = events.filter(e => e.alert.status === 'firing').length;
  const result = {
    benchmark: 'correlation-core',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    catalog: { entities: entities.length, components: SYSTEMS * PER_SYSTEM, systems: SYSTEMS },
    stream: { events: events.length, firingAlerts: firing, storms, batchSize: BATCH },
    eventsPerSecond: Math.round(events.length / (totalMs / 1000)),
    batchMs: {
      p50: +percentile(batchMs, 0.5).toFixed(2),
      p99: +percentile(batchMs, 0.99).toFixed(2),
      max: +batchMs[batchMs.length - 1].toFixed(2),
    },
    incidentsOpened: opened,
    alertsPerIncident: {
      mean: +(firing / Math.max(1, opened)).toFixed(1),
      max: Math.max(0, ...sizes.values()),
    },
    compression: +(1 - opened / firing).toFixed(3),
    stateBytesAtEnd: JSON.stringify(state).length,
  };
  console.log(JSON.stringify(result, null, 2));
  if (!args.includes('--no-write')) {
    const dir = path.join(__dirname, 'results');
    const stamp = result.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
    const text = `${JSON.stringify(result, null, 2)}\n`;
    fs.writeFileSync(path.join(dir, `correlation-${stamp}.json`), text);
    fs.writeFileSync(path.join(dir, 'correlation-latest.json'), text);
  }
}

main();
