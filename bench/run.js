#!/usr/bin/env node
'use strict';

/**
 * Ingest benchmark: `npm run bench:ingest` (see docs/benchmarks.md).
 *
 * For each target — the aiops-ingest plugin on SQLite, the same on PostgreSQL 15, and a real
 * Prometheus Alertmanager for reference — and each scenario (single-alert requests, 100-alert
 * batches), runs a saturating closed-loop phase (throughput), a fixed-rate open-loop phase at
 * the goal's rate (latency under that load) and a one-at-a-time phase (latency floor), then
 * writes bench/results/ingest-<date>.json and bench/results/ingest-latest.json and prints a
 * table.
 *
 * Options:
 *   --targets=sqlite,postgres,alertmanager   which targets (default: these three); also:
 *       postgres+events   PostgreSQL with @backstage/plugin-events-backend installed, as in
 *                         packages/backend: every announced alert is posted to the event bus
 *       postgres-nosync   DIAGNOSTIC: synchronous_commit = off on the plugin database; not a
 *                         valid result (accepted alerts are no longer durable), it only shows
 *                         what the WAL flush costs
 *       postgres-stock-router   PostgreSQL behind Backstage's stock root HTTP router, where
 *                         Express changes the prototype of every request (the other targets use
 *                         packages/backend's, whose requests start with Express's prototypes):
 *                         what the plugin gets in a Backstage without it
 *       node-http         CALIBRATION: a bare node:http server in this process (read, parse,
 *                         answer), the most any Node.js server gets on this machine
 *   --scenarios=single,batch                 which scenarios (default: both)
 *   --quick                                  shorter phases (smoke test; numbers are noisy)
 *   --profile                                also time the stages inside the plugin
 *                                            (handler, keying, store transaction, each SQL
 *                                            statement); adds a little overhead
 *   --cpu-profile=DIR                        write a V8 CPU profile of the backend's thread
 *                                            (the main thread) for each ingest phase to DIR;
 *                                            read it with bench/summarize-cpuprofile.js
 *   --analyze-between-phases                 PostgreSQL: ANALYZE the plugin's tables before
 *                                            each phase, so the planner has current statistics
 *                                            (a long-lived database's steady state; a fresh one
 *                                            that grows fast runs on stale statistics)
 *   --no-write                               print only, write no result files
 *   --out=DIR                                where to write results (default bench/results)
 */

process.env.NODE_ENV = process.env.NODE_ENV || 'production';
// The plugin is TypeScript, loaded from source like `backstage-cli package start` does.
require('@backstage/cli/config/nodeTransform.cjs');

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { runLoad } = require('./lib/loadWorker');
const cpu = require('./lib/cpu');
const { freePort } = require('./lib/freePort');
const { flag, option, writeReport } = require('./lib/cli');
const alerts = require('./lib/alerts');
const {
  startAlertmanager,
  alertmanagerVersion,
} = require('./lib/alertmanager');

const ROOT = path.resolve(__dirname, '..');
const quick = flag('quick');
const profiling = flag('profile');
const TARGETS = option('targets', 'sqlite,postgres,alertmanager').split(',');
const SCENARIO_NAMES = option('scenarios', 'single,batch').split(',');
const KNOWN_TARGETS = [
  'sqlite',
  'postgres',
  'alertmanager',
  'postgres+events',
  'postgres-nosync',
  'postgres-stock-router',
  'node-http',
];
for (const t of TARGETS)
  if (!KNOWN_TARGETS.includes(t))
    throw new Error(`unknown target ${t}; known: ${KNOWN_TARGETS.join(', ')}`);

/** The issue's targets, checked on PostgreSQL. */
const GOALS = { batchAlertsPerS: 5000, singleRequestsPerS: 1000, p99Ms: 50 };

/**
 * Each scenario runs three phases (about 25 s in all):
 * - `max`: closed loop, a fixed number in flight: the most the target accepts;
 * - `rate`: open loop at the goal's rate: latency under the load the goal names;
 * - `serial`: one request at a time: latency without any queueing, the floor.
 */
const SCENARIOS = {
  single: {
    title: 'single-alert requests',
    batchSize: 1,
    phases: {
      max: {
        mode: 'closed',
        concurrency: 32,
        warmupMs: quick ? 500 : 2000,
        durationMs: quick ? 2000 : 7000,
      },
      // The latency goal is checked at the throughput goal: 1,000 requests/s. The warm-up lets
      // the backend settle after the saturating phase before it (its backlog, and the garbage
      // it left for the next full collection) so that the window measures the steady state.
      rate: {
        mode: 'open',
        rate: GOALS.singleRequestsPerS,
        warmupMs: quick ? 500 : 2000,
        durationMs: quick ? 1500 : 10000,
        maxInFlight: 64,
      },
      serial: {
        mode: 'closed',
        concurrency: 1,
        warmupMs: 200,
        durationMs: quick ? 1000 : 2000,
      },
    },
  },
  batch: {
    title: '100-alert batches',
    batchSize: 100,
    phases: {
      max: {
        mode: 'closed',
        concurrency: 16,
        warmupMs: quick ? 500 : 2000,
        durationMs: quick ? 2000 : 7000,
      },
      // 50 batches/s = 5,000 alerts/s.
      rate: {
        mode: 'open',
        rate: GOALS.batchAlertsPerS / 100,
        warmupMs: quick ? 500 : 2000,
        durationMs: quick ? 1500 : 10000,
        maxInFlight: 32,
      },
      serial: {
        mode: 'closed',
        concurrency: 1,
        warmupMs: 200,
        durationMs: quick ? 1000 : 2000,
      },
    },
  },
};
for (const s of SCENARIO_NAMES)
  if (!SCENARIOS[s]) throw new Error(`unknown scenario ${s}`);

/**
 * Requests the in-process backend is still working on. A client that gives up (the end of a
 * phase) does not stop the server's work, so the next phase waits for this to reach 0.
 */
let serverInFlight = 0;
let handlersInFlight = 0;
{
  // Aborted requests close their response at once, but their handler goes on; count both.
  const { IngestService } = require(path.join(
    ROOT,
    'plugins/aiops-ingest-backend/src/service/IngestService.ts',
  ));
  for (const method of ['receiveGenericAlerts']) {
    const original = IngestService.prototype[method];
    if (typeof original !== 'function') continue;
    IngestService.prototype[method] = function counted(...a) {
      handlersInFlight += 1;
      return Promise.resolve()
        .then(() => original.apply(this, a))
        .finally(() => {
          handlersInFlight -= 1;
        });
    };
  }
  const http = require('node:http');
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function countingEmit(event, req, res) {
    if (event === 'request') {
      serverInFlight += 1;
      res.once('close', () => {
        serverInFlight -= 1;
      });
    }
    return emit.apply(this, arguments);
  };
}

async function serverIdle(timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  const busy = () => serverInFlight > 0 || handlersInFlight > 0;
  while (busy() && Date.now() < deadline)
    await new Promise(r => setTimeout(r, 50));
  return !busy();
}

/** /proc/pressure/cpu "some" total: microseconds in which some task waited for a CPU. */
function cpuPressureUs() {
  try {
    const m = fs
      .readFileSync('/proc/pressure/cpu', 'utf8')
      .match(/^some .*total=(\d+)/m);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function seedOf(text) {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** CPU profile of this thread (where the backend runs) through the inspector. */
function startCpuProfile() {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  const started = post('Profiler.enable').then(() => post('Profiler.start'));
  return {
    started,
    async stop(file) {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
    },
  };
}

/** Runs one phase and measures what it cost: CPU per party and the server's event loop. */
async function measuredPhase(target, workerData, server, cpuProfileFile) {
  const serverPid = server.pid;
  const pgPids = new Set(
    server.postgresBackendPids ? await server.postgresBackendPids() : [],
  );
  const profilerSession = cpuProfileFile ? startCpuProfile() : undefined;
  await profilerSession?.started;
  const before = {
    elu: performance.eventLoopUtilization(),
    mainThread: cpu.threadCpuMs(),
    process: cpu.processCpuMs(process.pid),
    server: serverPid ? cpu.processCpuMs(serverPid) : undefined,
    postgres: pgPids.size ? cpu.processesCpuMs(pgPids) : undefined,
    machine: cpu.machineCpuMs(),
    pressure: cpuPressureUs(),
    wall: performance.now(),
  };
  const result = await runLoad(workerData);
  const wall = performance.now() - before.wall;
  if (profilerSession) await profilerSession.stop(cpuProfileFile);
  const elu = performance.eventLoopUtilization(before.elu);
  const delta = (now, then) =>
    now !== undefined && then !== undefined ? now - then : undefined;
  const processCpu = delta(cpu.processCpuMs(process.pid), before.process);
  const mainNow = cpu.threadCpuMs();
  const mainCpu =
    mainNow && before.mainThread
      ? mainNow.user +
        mainNow.system -
        before.mainThread.user -
        before.mainThread.system
      : undefined;
  // Backends that connected during the phase count from 0; ones that exited are lost (rare:
  // the pool keeps its connections).
  const pgBefore = before.postgres;
  let postgresCpu;
  if (server.postgresBackendPids) {
    const pidsNow = await server.postgresBackendPids();
    const newPids = pidsNow.filter(p => !pgPids.has(p));
    postgresCpu =
      cpu.processesCpuMs([...pgPids]) -
      (pgBefore ?? 0) +
      cpu.processesCpuMs(newPids);
  }
  const machine = cpu.machineCpuMs();
  const cpuMs = {
    // The backend runs on this process' main thread; the load generator in a process of its own.
    ingestMainThread: target === 'alertmanager' ? undefined : mainCpu,
    ingestMainThreadSystem:
      target === 'alertmanager' || !mainNow
        ? undefined
        : mainNow.system - before.mainThread.system,
    alertmanager: delta(
      serverPid ? cpu.processCpuMs(serverPid) : undefined,
      before.server,
    ),
    // Only the PostgreSQL backends serving the plugin's database (not the WAL writer etc.).
    postgres: postgresCpu,
    thisProcess: processCpu,
    loadGenerator: result.loadGeneratorCpuMs,
    machineBusy:
      machine && before.machine
        ? machine.busy - before.machine.busy
        : undefined,
    machineTotal:
      machine && before.machine
        ? machine.total - before.machine.total
        : undefined,
  };
  // CPU used by everything else on the machine (other users, other jobs) during the phase.
  if (cpuMs.machineBusy !== undefined) {
    cpuMs.others = Math.max(
      0,
      cpuMs.machineBusy -
        (cpuMs.thisProcess ?? 0) -
        (cpuMs.loadGenerator ?? 0) -
        (cpuMs.alertmanager ?? 0) -
        (cpuMs.postgres ?? 0),
    );
  }
  const pressure = cpuPressureUs();
  return {
    ...result,
    wallMs: wall,
    // Share of the phase the backend's event loop was busy (1 = saturated JavaScript thread).
    serverEventLoopUtilization:
      target === 'alertmanager' ? undefined : elu.utilization,
    // Share of the phase in which some runnable task waited for a CPU (Linux PSI).
    cpuPressure:
      pressure !== undefined && before.pressure !== undefined
        ? (pressure - before.pressure) / 1000 / wall
        : undefined,
    cpuMs,
  };
}

function gitInfo() {
  const git = (...a) =>
    execFileSync('git', a, {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      dirty: git('status', '--porcelain').length > 0,
    };
  } catch {
    return { commit: undefined, dirty: undefined };
  }
}

async function postgresVersion() {
  try {
    const { pgAdmin } = require('./lib/ingestBackend');
    return await pgAdmin(async c => {
      const version = (await c.query('SELECT version()')).rows[0].version;
      const settings = {};
      for (const name of [
        'synchronous_commit',
        'fsync',
        'shared_buffers',
        'max_connections',
      ]) {
        settings[name] = (await c.query(`SHOW ${name}`)).rows[0][name];
      }
      return { version, settings };
    });
  } catch (error) {
    return { error: String(error) };
  }
}

const fmt = (n, digits = 0) =>
  n === undefined || n === null || Number.isNaN(n)
    ? '-'
    : Number(n).toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });

function printTable(results) {
  const rows = [
    [
      'target',
      'scenario',
      'phase',
      'req/s',
      'alerts/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      'vs AM',
      'server CPU ms/1k alerts',
    ],
  ];
  for (const r of results) {
    const errors = Object.values(r.errors ?? {}).reduce((a, b) => a + b, 0);
    const serverCpu =
      r.target === 'alertmanager'
        ? r.cpuMs.alertmanager
        : (r.cpuMs.ingestMainThread ?? 0) + (r.cpuMs.postgres ?? 0);
    rows.push([
      r.target,
      r.scenario,
      r.phase === 'max'
        ? `max (c=${r.concurrency})`
        : r.phase === 'serial'
        ? 'serial (c=1)'
        : `@${fmt(r.targetRequestsPerS)} req/s${
            r.sustained ? '' : ' (behind)'
          }`,
      fmt(r.requestsPerS),
      fmt(r.alertsPerS),
      fmt(r.latencyMs.p50, 1),
      fmt(r.latencyMs.p95, 1),
      fmt(r.latencyMs.p99, 1),
      String(errors),
      r.ratioToAlertmanager === undefined
        ? ''
        : `${fmt(r.ratioToAlertmanager, 2)}x`,
      r.alertsAccepted ? fmt((serverCpu / r.alertsAccepted) * 1000, 0) : '-',
    ]);
  }
  const widths = rows[0].map((_, i) =>
    Math.max(...rows.map(row => row[i].length)),
  );
  const line = row =>
    row
      .map((cell, i) =>
        i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
      )
      .join('  ');
  console.log(line(rows[0]));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
}

async function main() {
  const startedAt = new Date();
  const git = gitInfo();
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg(),
  };
  const versions = {
    alertmanager: TARGETS.includes('alertmanager')
      ? alertmanagerVersion()
      : undefined,
    postgres: TARGETS.some(t => t.startsWith('postgres'))
      ? await postgresVersion()
      : undefined,
  };
  console.log(
    `aiops-ingest bench: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${
      machine.node
    }, load average ${machine.loadAverageAtStart
      .map(l => l.toFixed(2))
      .join(' ')}, commit ${git.commit?.slice(0, 12)}${
      git.dirty ? ' (dirty)' : ''
    }${quick ? ', QUICK' : ''}${profiling ? ', PROFILING' : ''}`,
  );

  let profiler;
  if (profiling) profiler = require('./lib/profile').install();

  const results = [];
  const failures = [];
  const stops = [];
  const onSignal = async () => {
    for (const stop of stops.splice(0)) await stop().catch(() => {});
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  for (const target of TARGETS) {
    const port = await freePort();
    let started;
    let path_;
    let headers;
    let format;
    try {
      if (target === 'node-http') {
        started = await require('./lib/baselineServer').startBaselineServer({
          port,
        });
        path_ = '/';
        headers = {};
        format = 'webhook';
        console.log(`\n== ${target}: ${started.describe} on 127.0.0.1:${port}`);
      } else if (target === 'alertmanager') {
        started = await startAlertmanager({ port });
        path_ = '/api/v2/alerts';
        headers = {};
        format = 'am-api';
        console.log(
          `\n== ${target}: ${versions.alertmanager} on 127.0.0.1:${port}, null receiver`,
        );
      } else {
        const { startIngestBackend } = require('./lib/ingestBackend');
        started = await startIngestBackend({
          database: target.startsWith('postgres') ? 'postgres' : 'sqlite',
          eventsBackend: target === 'postgres+events',
          asyncCommit: target === 'postgres-nosync',
          stockRouter: target === 'postgres-stock-router',
          port,
          logLevel: process.env.BENCH_LOG_LEVEL || 'warn',
        });
        path_ = '/api/aiops-ingest/alerts/alertmanager';
        headers = { authorization: `Bearer ${started.token}` };
        format = 'webhook';
        console.log(
          `\n== ${target}: aiops-ingest on 127.0.0.1:${port}, ${started.describeDb}`,
        );
      }
      stops.push(started.stop);
    } catch (error) {
      console.error(`!! could not start ${target}: ${error.stack ?? error}`);
      failures.push({ target, error: String(error.message ?? error) });
      continue;
    }

    try {
      for (const scenario of SCENARIO_NAMES) {
        const s = SCENARIOS[scenario];
        for (const [phase, p] of Object.entries(s.phases)) {
          const tag = `${scenario}-${phase}`;
          profiler?.reset();
          const what = {
            max: `max throughput, ${p.concurrency} in flight`,
            rate: `fixed rate ${p.rate} req/s`,
            serial: 'one at a time',
          }[phase];
          if (flag('analyze-between-phases')) await started.analyze?.();
          if (!(await serverIdle()))
            console.log(
              '   (the backend was still busy with the previous phase after 60 s)',
            );
          process.stdout.write(`   ${s.title}, ${what} ... `);
          const result = await measuredPhase(
            target,
            {
              host: '127.0.0.1',
              port,
              path: path_,
              headers,
              format,
              acceptedFromBody: target !== 'alertmanager',
              batchSize: s.batchSize,
              seed: seedOf(tag),
              prefix: tag,
              ...p,
            },
            started,
            option('cpu-profile') && target !== 'alertmanager'
              ? path.resolve(
                  option('cpu-profile'),
                  `${target}-${scenario}-${phase}.cpuprofile`,
                )
              : undefined,
          );
          const entry = {
            target,
            scenario,
            phase,
            batchSize: s.batchSize,
            ...p,
            ...result,
          };
          if (profiler) entry.profile = profiler.report();
          results.push(entry);
          const errors = Object.values(result.errors).reduce(
            (a, b) => a + b,
            0,
          );
          const line = () =>
            console.log(
              `${fmt(result.requestsPerS)} req/s, ${fmt(
                result.alertsPerS,
              )} alerts/s, p50 ${fmt(result.latencyMs.p50, 1)} / p95 ${fmt(
                result.latencyMs.p95,
                1,
              )} / p99 ${fmt(result.latencyMs.p99, 1)} ms${
                result.sustained === false
                  ? ` (fell behind: ${result.notSent} not sent, ${result.unfinished} unanswered)`
                  : ''
              }${
                errors
                  ? `, ${errors} errors: ${Object.keys(result.errors)
                      .slice(0, 3)
                      .join(' | ')}`
                  : ''
              }`,
            );
          line();
          if (entry.profile) {
            for (const [stage, p] of Object.entries(entry.profile)) {
              const unit = stage.endsWith('(count)') ? '' : ' ms';
              const n = (v, d = 2) => fmt(v, d).padStart(8);
              console.log(
                `      ${stage.padEnd(34)} n=${String(p.count).padStart(7)}` +
                  `  mean ${n(p.meanMs)}${unit}  p50 ${n(p.p50Ms)}  p99 ${n(
                    p.p99Ms,
                  )}` +
                  `  per request ${n(p.perRequestMs)}${unit}`,
              );
            }
          }
        }
      }
    } catch (error) {
      console.error(`!! ${target} failed: ${error.stack ?? error}`);
      failures.push({ target, error: String(error.message ?? error) });
    } finally {
      await serverIdle();
      stops.splice(stops.indexOf(started.stop), 1);
      await started
        .stop()
        .catch(error => console.error(`!! stopping ${target}: ${error}`));
    }
  }

  // Ratios to Alertmanager, same scenario and phase.
  for (const r of results) {
    if (r.target === 'alertmanager') continue;
    const am = results.find(
      a =>
        a.target === 'alertmanager' &&
        a.scenario === r.scenario &&
        a.phase === r.phase,
    );
    if (am && am.alertsPerS > 0)
      r.ratioToAlertmanager = r.alertsPerS / am.alertsPerS;
  }

  const find = (target, scenario, phase) =>
    results.find(
      r => r.target === target && r.scenario === scenario && r.phase === phase,
    );
  const goal = (name, required, measured, met, note) => ({
    name,
    required,
    measured,
    met: measured === undefined ? null : met,
    note,
  });
  const pgBatch = find('postgres', 'batch', 'max');
  const pgSingle = find('postgres', 'single', 'max');
  const pgSingleOpen = find('postgres', 'single', 'rate');
  const pgBatchOpen = find('postgres', 'batch', 'rate');
  const goals = [
    goal(
      'PostgreSQL, 100-alert batches: alerts/s',
      `>= ${GOALS.batchAlertsPerS}`,
      pgBatch?.alertsPerS,
      pgBatch?.alertsPerS >= GOALS.batchAlertsPerS,
    ),
    goal(
      'PostgreSQL, single-alert requests: requests/s',
      `>= ${GOALS.singleRequestsPerS}`,
      pgSingle?.requestsPerS,
      pgSingle?.requestsPerS >= GOALS.singleRequestsPerS,
    ),
    goal(
      `PostgreSQL, single-alert requests at ${GOALS.singleRequestsPerS} req/s: p99 accept latency ms`,
      `< ${GOALS.p99Ms}`,
      pgSingleOpen?.latencyMs.p99,
      pgSingleOpen?.latencyMs.p99 < GOALS.p99Ms && pgSingleOpen?.sustained,
      pgSingleOpen && !pgSingleOpen.sustained
        ? 'the rate was not sustained'
        : undefined,
    ),
    goal(
      `PostgreSQL, 100-alert batches at ${GOALS.batchAlertsPerS} alerts/s: p99 accept latency ms`,
      `< ${GOALS.p99Ms}`,
      pgBatchOpen?.latencyMs.p99,
      pgBatchOpen?.latencyMs.p99 < GOALS.p99Ms && pgBatchOpen?.sustained,
      pgBatchOpen && !pgBatchOpen.sustained
        ? 'the rate was not sustained'
        : undefined,
    ),
  ];

  const finishedAt = new Date();
  machine.loadAverageAtEnd = os.loadavg();
  // How much the machine was shared while measuring: other processes' CPU and CPU pressure.
  const sumOf = key => results.reduce((a, r) => a + (r.cpuMs?.[key] ?? 0), 0);
  const wallAll = results.reduce((a, r) => a + r.wallMs, 0);
  const contention = {
    othersCpuShareOfMachine: sumOf('machineTotal')
      ? sumOf('others') / sumOf('machineTotal')
      : undefined,
    cpuPressure: wallAll
      ? results.reduce((a, r) => a + (r.cpuPressure ?? 0) * r.wallMs, 0) /
        wallAll
      : undefined,
  };
  const report = {
    benchmark: 'aiops-ingest alert intake',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    quick,
    profiling,
    analyzeBetweenPhases: flag('analyze-between-phases'),
    machine,
    contention,
    git,
    versions,
    workload: {
      endpoint:
        'POST /api/aiops-ingest/alerts/alertmanager (Alertmanager webhook v4) vs Alertmanager POST /api/v2/alerts',
      auth: 'ingest: external-access static token (Authorization: Bearer); Alertmanager: none',
      catalog: `${alerts.SERVICE_COUNT} Components keyed by aiops/service-name, 7 Groups; in-memory catalog client`,
      mix: {
        newAlerts: 1 - alerts.REPEAT_SHARE - alerts.RESOLVE_SHARE,
        repeats: alerts.REPEAT_SHARE,
        resolves: alerts.RESOLVE_SHARE,
        unownedShare: alerts.UNOWNED_SHARE,
      },
      scenarios: Object.fromEntries(SCENARIO_NAMES.map(n => [n, SCENARIOS[n]])),
      logLevel: process.env.BENCH_LOG_LEVEL || 'warn',
      nodeEnv: process.env.NODE_ENV,
    },
    goals,
    results,
    failures,
  };

  console.log('');
  printTable(results);
  console.log('\nGoals (issue), on PostgreSQL:');
  for (const g of goals) {
    const status = g.met === null ? 'not measured' : g.met ? 'MET' : 'NOT MET';
    console.log(
      `  ${status.padEnd(12)} ${g.name} ${g.required}: ${fmt(g.measured, 1)}${
        g.note ? ` (${g.note})` : ''
      }`,
    );
  }
  if (contention.othersCpuShareOfMachine !== undefined) {
    console.log(
      `\nMachine sharing while measuring: other processes used ${fmt(
        contention.othersCpuShareOfMachine * 100,
      )}% of all CPU; ` +
        `some task waited for a CPU ${fmt(
          (contention.cpuPressure ?? 0) * 100,
        )}% of the time (PSI).` +
        (contention.othersCpuShareOfMachine > 0.2
          ? ' The numbers are depressed by other work; rerun on a quiet machine.'
          : ''),
    );
  }
  if (failures.length)
    console.log(
      `\nFailures: ${failures.map(f => `${f.target}: ${f.error}`).join('; ')}`,
    );

  if (!flag('no-write')) {
    const file = writeReport('ingest', startedAt, report);
    console.log(
      `\nWrote ${path.relative(ROOT, file)} and ${path.relative(
        ROOT,
        path.join(path.dirname(file), 'ingest-latest.json'),
      )}`,
    );
  }
  return failures.length ? 1 : 0;
}

main().then(
  code => process.exit(code),
  error => {
    console.error(error);
    process.exit(1);
  },
);
