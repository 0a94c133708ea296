#!/usr/bin/env node
'use strict';

/**
 * Correlation benchmarks: `npm run bench:correlation` (see docs/benchmarks.md).
 *
 * 1. Core throughput. Runs the pure correlation core — the same `correlateSteps` the plugin's engine calls per
 * batch — on a synthetic catalog of 1,000 components (40 systems of 25 services, each with a
 * few dependencies inside its system and one shared Resource per system) against a stream of
 * alert storms (a root service and its dependents up to 3 hops) mixed with unrelated noise,
 * every alert resolving later. Reports events per second, per-batch latency and the resulting
 * compression, and writes bench/results/correlation-<date>.json and correlation-latest.json.
 *
 * 2. End to end, on SQLite and on PostgreSQL: the real aiops-ingest and aiops-correlation
 * plugins on one backend (createBackend, the same catalog), an alert storm sent to ingest's
 * Alertmanager receiver at a fixed rate from a worker thread, and a probe module subscribed to
 * `aiops.incident.changed` (published after the incident is committed, so what it reports is
 * visible in the API). Latency per alert: from ingest's acknowledgement to the first
 * announcement of an incident holding it.
 *
 * Options: --alerts=N (core, default 20000), --batch=N events per batch (default 100),
 * --rate=N alerts/s (end to end, default 1000), --duration=S seconds (default 20),
 * --targets=core,sqlite,postgres,postgres-open (default all), --open-incidents=N (default 10000),
 * --storm-profile=FILE (a CPU profile of the backend's thread during the storm, for
 * bench/summarize-cpuprofile.js), --narrator (end to end: the aiops-narrator plugin runs in the backend too, narrating every
 * incident the storm changes; compare `backendCpuMsPerThousandAlerts` with a run without it),
 * --no-write, --out=DIR (default bench/results).
 *
 * 3. postgres-open ([K] #3): the end-to-end storm on PostgreSQL after N unowned alerts of a new kind
 * each have opened N incidents (the unowned bound lifted for it), which stay open throughout.
 */

require('@backstage/cli/config/nodeTransform.cjs');

const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Worker } = require('node:worker_threads');
const { flag, option, writeReport } = require('./lib/cli');
const { threadCpuMs } = require('./lib/cpu');
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

const ALERTS = Number(option('alerts', 20_000));
const BATCH = Number(option('batch', 100));
const RATE = Number(option('rate', 1000));
const DURATION_S = Number(option('duration', 20));
const OPEN_INCIDENTS = Number(option('open-incidents', 10_000));
const WITH_NARRATOR = flag('narrator');
/** `--storm-profile=FILE`: a V8 CPU profile of the backend's thread during the storm only. */
const STORM_PROFILE = option('storm-profile', '');

/** Starts the V8 profiler on this (the backend's) thread; `stop(file)` writes the profile. */
async function startProfile() {
  const inspector = require('node:inspector');
  const fs = require('node:fs');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`Storm CPU profile written to ${file}`);
    },
  };
}
const ALERTS_PER_REQUEST = 10;
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
      const resolvedAt =
        clock + offset + (5 + Math.floor(rand() * 15)) * MINUTE;
      events.push({ type: 'alert', at: fired.startsAt, alert: fired });
      events.push({
        type: 'alert',
        at: new Date(resolvedAt).toISOString(),
        alert: {
          ...fired,
          status: 'resolved',
          endsAt: new Date(resolvedAt).toISOString(),
          lastSeenAt: new Date(resolvedAt).toISOString(),
        },
      });
    };
    if (rand() < 0.3) {
      storms++;
      const root = components[Math.floor(rand() * components.length)];
      push(root.entityRef, 0, 'critical');
      let frontier = [root.entityRef];
      for (let hop = 1; hop <= 3 && n < ALERTS; hop++) {
        frontier = frontier
          .flatMap(ref => byRef.get(ref).dependencyOf)
          .slice(0, 6);
        for (const ref of frontier)
          if (n < ALERTS) push(ref, hop * 30_000, 'error');
      }
    } else {
      push(
        components[Math.floor(rand() * components.length)].entityRef,
        0,
        'warning',
      );
    }
  }
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { events, storms };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function core() {
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
    const result = correlateSteps(batch, context, state, {
      inPlace: true,
      coalesce: true,
    });
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
  return {
    catalog: {
      entities: entities.length,
      components: SYSTEMS * PER_SYSTEM,
      systems: SYSTEMS,
    },
    stream: {
      events: events.length,
      firingAlerts: firing,
      storms,
      batchSize: BATCH,
    },
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
}

async function endToEnd(database, { openIncidents = 0 } = {}) {
  const { startIngestBackend } = require('./lib/ingestBackend');
  const { largeCatalogEntities } = require('./lib/largeCatalog');
  const { createBackendModule } = require('@backstage/backend-plugin-api');
  const { eventsServiceRef } = require('@backstage/plugin-events-node');
  const firstAnnounced = new Map();
  const probe = createBackendModule({
    pluginId: 'aiops-correlation',
    moduleId: 'bench-probe',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'bench-probe',
            topics: ['aiops.incident.changed'],
            async onEvent({ eventPayload }) {
              const at = performance.timeOrigin + performance.now();
              for (const id of eventPayload.incident.alertIds) {
                if (!firstAnnounced.has(id)) firstAnnounced.set(id, at);
              }
            },
          });
        },
      });
    },
  });
  const port = 7300 + Math.floor(Math.random() * 500);
  const backend = await startIngestBackend({
    database,
    port,
    logLevel: 'warn',
    catalog: largeCatalogEntities(),
    features: [
      require('@aiops/plugin-aiops-correlation-backend'),
      probe,
      ...(WITH_NARRATOR
        ? [require('@aiops/plugin-aiops-narrator-backend')]
        : []),
    ],
    // The default bound on unowned incidents (100) is what keeps noise from opening thousands;
    // the bench lifts it to have that many open while it measures.
    aiops: openIncidents
      ? { correlation: { unowned: { maxOpenIncidents: openIncidents + 1 } } }
      : {},
  });
  try {
    const rate = RATE / ALERTS_PER_REQUEST;
    const run = (seed, durationMs, requestRate, noise = false) =>
      new Promise((resolve, reject) => {
        const worker = new Worker(
          path.join(__dirname, 'lib', 'stormWorker.js'),
          {
            workerData: {
              host: '127.0.0.1',
              port,
              token: backend.token,
              rate: requestRate,
              alertsPerRequest: ALERTS_PER_REQUEST,
              durationMs,
              seed,
              noise,
            },
          },
        );
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    // Warm-up: the catalog snapshot, topology and connection pools.
    await run(1, 3000, 5);
    let seeding;
    if (openIncidents) {
      // Unowned alerts of a new kind each: one open incident per alert, before the storm.
      const started = performance.now();
      const seedRate = 100;
      const seeded = await run(
        3,
        Math.ceil((openIncidents / ALERTS_PER_REQUEST / seedRate) * 1000),
        seedRate,
        true,
      );
      const deadline = Date.now() + 300_000;
      while (
        Date.now() < deadline &&
        seeded.acks.some(a => !firstAnnounced.has(a.id))
      ) {
        await new Promise(r => setTimeout(r, 500));
      }
      seeding = {
        alerts: seeded.acks.length,
        announced: seeded.acks.filter(a => firstAnnounced.has(a.id)).length,
        seconds: +((performance.now() - started) / 1000).toFixed(1),
      };
      console.log(JSON.stringify({ seeding }));
    }
    const cpuBefore = threadCpuMs();
    const profiler = STORM_PROFILE && (await startProfile());
    const sent = await run(2, DURATION_S * 1000, rate);
    // Let correlation drain what it still holds.
    const deadline = Date.now() + 30_000;
    while (
      Date.now() < deadline &&
      sent.acks.some(a => !firstAnnounced.has(a.id))
    ) {
      await new Promise(r => setTimeout(r, 200));
    }
    // The backend's own thread (the storm runs in a worker): its CPU while it took the storm.
    const cpuAfter = threadCpuMs();
    if (profiler) await profiler.stop(STORM_PROFILE);
    const backendCpuMs =
      cpuBefore && cpuAfter
        ? cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system
        : undefined;
    const latencies = sent.acks
      .filter(a => firstAnnounced.has(a.id))
      .map(a => Math.max(0, firstAnnounced.get(a.id) - a.ackAt))
      .sort((a, b) => a - b);
    return {
      target: `${
        openIncidents ? `${database}-${openIncidents}-open` : database
      }${WITH_NARRATOR ? '+narrator' : ''}`,
      describeDb: backend.describeDb,
      ...(seeding && { openIncidentsBefore: seeding }),
      offeredAlertsPerSecond: RATE,
      alertsPerRequest: ALERTS_PER_REQUEST,
      durationSeconds: DURATION_S,
      requests: sent.requests,
      failedRequests: sent.failed,
      acceptedAlerts: sent.acks.length,
      acceptedAlertsPerSecond: Math.round(
        sent.acks.length / (sent.elapsedMs / 1000),
      ),
      announcedAlerts: latencies.length,
      backendCpuMsPerThousandAlerts:
        backendCpuMs === undefined
          ? undefined
          : Math.round((backendCpuMs / Math.max(1, sent.acks.length)) * 1000),
      latencyMs: latencies.length
        ? {
            p50: Math.round(percentile(latencies, 0.5)),
            p90: Math.round(percentile(latencies, 0.9)),
            p99: Math.round(percentile(latencies, 0.99)),
            max: Math.round(latencies[latencies.length - 1]),
          }
        : undefined,
      target_p99_ms: 1000,
    };
  } finally {
    await backend.stop();
  }
}

async function main() {
  const targets = option('targets', 'core,sqlite,postgres,postgres-open').split(
    ',',
  );
  const result = {
    benchmark: 'correlation',
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      node: process.version,
    },
  };
  if (targets.includes('core')) {
    result.core = core();
    console.log(JSON.stringify({ core: result.core }, null, 2));
  }
  result.endToEnd = [];
  for (const database of ['sqlite', 'postgres']) {
    if (!targets.includes(database)) continue;
    const e2e = await endToEnd(database);
    console.log(JSON.stringify({ endToEnd: e2e }, null, 2));
    result.endToEnd.push(e2e);
  }
  // [K] #3: the same storm with thousands of incidents already open.
  if (targets.includes('postgres-open')) {
    const e2e = await endToEnd('postgres', { openIncidents: OPEN_INCIDENTS });
    console.log(JSON.stringify({ endToEnd: e2e }, null, 2));
    result.endToEnd.push(e2e);
  }
  if (!flag('no-write'))
    writeReport('correlation', new Date(result.date), result);
  // The backend's scheduler and pools keep handles open.
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
