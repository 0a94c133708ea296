#!/usr/bin/env node
'use strict';

/**
 * Where the single-alert tail latency comes from: `node bench/gc-stalls.js`
 * (docs/benchmarks.md, "Where the time goes").
 *
 * For each target, one backend with the aiops-ingest plugin on PostgreSQL, in a process of its
 * own (a fresh heap each), gets single alerts at 1,000 requests/s for one warm-up window and then
 * `--windows` measured windows of 10 s in a row. Per window: latency percentiles, the requests
 * slower than 50 ms and how many of them were due around the start of a major GC, the GC
 * pauses V8 reports (scavenges and major collections) and the worst event-loop delay.
 *
 * Targets: `postgres` (packages/backend's root HTTP router: requests are constructed with
 * Express's prototypes) and `postgres-stock-router` (Backstage's stock one: Express changes the
 * prototype of every request).
 *
 * Options: --targets=postgres,postgres-stock-router  --windows=8  --rate=1000
 *          --no-write  --out=DIR (default bench/results)
 */

const { fork } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { flag, option, writeReport } = require('./lib/cli');

const SLOW_MS = 50;
// A slow request is put down to a major GC if it was due from 100 ms before one began (in flight
// when it paused the thread) to 500 ms after (queued behind it).
const AROUND_MAJOR_GC_MS = [100, 500];
const WINDOW_MS = 10_000;

if (process.argv[2] === '--child') {
  process.once('message', config =>
    measureTarget(config).then(
      result =>
        process.send({ type: 'gc-stalls', result }, () => process.exit(0)),
      error =>
        process.send(
          { type: 'gc-stalls', error: String(error?.stack ?? error) },
          () => process.exit(1),
        ),
    ),
  );
} else {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}

async function main() {
  const targets = option('targets', 'postgres,postgres-stock-router').split(
    ',',
  );
  const windows = Number(option('windows', '8'));
  const rate = Number(option('rate', '1000'));
  const startedAt = new Date();
  const results = [];
  for (const target of targets) {
    console.log(
      `\n== ${target}: ${windows} windows of ${
        WINDOW_MS / 1000
      } s at ${rate} req/s`,
    );
    const result = await inChildProcess({ target, windows, rate });
    for (const w of result.windows) console.log(describeWindow(w));
    results.push(result);
  }
  console.log(
    `\ntarget                       p99 per window (ms)                 windows p99 >= ${SLOW_MS}  requests > ${SLOW_MS} ms  major GCs`,
  );
  for (const r of results) {
    const p99s = r.windows.map(w => Math.round(w.latencyMs.p99));
    const sum = f => r.windows.reduce((n, w) => n + f(w), 0);
    r.summary = {
      windowsWithP99OverSlow: p99s.filter(p => p >= SLOW_MS).length,
      shareOfRequestsOverSlow: sum(w => w.slow.count) / sum(w => w.requests),
      majorGcs: sum(w => w.gc.major.count),
    };
    console.log(
      [
        r.target.padEnd(28),
        p99s.join(', ').padEnd(35),
        `${r.summary.windowsWithP99OverSlow} of ${p99s.length}`.padStart(16),
        `${(r.summary.shareOfRequestsOverSlow * 100).toFixed(1)} %`.padStart(
          18,
        ),
        String(r.summary.majorGcs).padStart(10),
      ].join(' '),
    );
  }
  if (flag('no-write')) return;
  const report = {
    benchmark: 'aiops-ingest single-alert tail latency and GC',
    startedAt: startedAt.toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
    },
    rate,
    windowMs: WINDOW_MS,
    slowMs: SLOW_MS,
    results,
  };
  const file = writeReport('gc-stalls', startedAt, report);
  console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
}

function inChildProcess(config) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child']);
    // @backstage/cli's node transform also reports each file it loads on this channel.
    child.on('message', m => {
      if (m.type !== 'gc-stalls') return;
      if (m.error) reject(new Error(m.error));
      else resolve(m.result);
    });
    child.once(
      'exit',
      code => code && reject(new Error(`${config.target} exited with ${code}`)),
    );
    child.send(config);
  });
}

function describeWindow(w) {
  const { scavenge, major } = w.gc;
  return (
    `   p50 ${w.latencyMs.p50.toFixed(1)} / p99 ${w.latencyMs.p99.toFixed(
      1,
    )} / max ${w.latencyMs.max.toFixed(0)} ms; ` +
    `${w.slow.count} over ${SLOW_MS} ms (${w.slow.aroundMajorGc} around a major GC); ` +
    `scavenges ${scavenge.count} (${scavenge.totalMs.toFixed(
      0,
    )} ms, longest ${scavenge.maxMs.toFixed(0)}); ` +
    `major GCs ${major.count} (longest ${major.maxMs.toFixed(
      0,
    )} ms); worst loop delay ${w.loopDelayMaxMs.toFixed(0)} ms`
  );
}

async function measureTarget({ target, windows, rate }) {
  process.env.NODE_ENV = process.env.NODE_ENV || 'production';
  // The plugin is TypeScript, loaded from source like `backstage-cli package start` does.
  require('@backstage/cli/config/nodeTransform.cjs');
  const {
    PerformanceObserver,
    constants,
    monitorEventLoopDelay,
    performance,
  } = require('node:perf_hooks');
  const { startIngestBackend } = require('./lib/ingestBackend');
  const { runLoad } = require('./lib/loadWorker');
  const { freePort } = require('./lib/freePort');

  let gcs = [];
  const observer = new PerformanceObserver(list => {
    for (const e of list.getEntries())
      gcs.push({
        atMs: performance.timeOrigin + e.startTime,
        durationMs: e.duration,
        major: e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR,
      });
  });
  observer.observe({ entryTypes: ['gc'] });
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();

  const port = await freePort();
  const backend = await startIngestBackend({
    database: 'postgres',
    stockRouter: target === 'postgres-stock-router',
    port,
    logLevel: 'warn',
  });
  const measured = [];
  try {
    for (let i = 0; i <= windows; i++) {
      gcs = [];
      loopDelay.reset();
      const result = await runLoad({
        host: '127.0.0.1',
        port,
        path: '/api/aiops-ingest/alerts/alertmanager',
        headers: { authorization: `Bearer ${backend.token}` },
        format: 'webhook',
        acceptedFromBody: true,
        batchSize: 1,
        mode: 'open',
        rate,
        maxInFlight: 64,
        warmupMs: 0,
        durationMs: WINDOW_MS,
        slowOverMs: SLOW_MS,
        seed: i + 1,
        prefix: `stalls-${process.pid}-${i}`,
      });
      if (i === 0) continue; // warm-up: JIT, connection pool, first growth of the heap
      const majors = gcs.filter(g => g.major);
      const stat = list => ({
        count: list.length,
        totalMs: list.reduce((s, g) => s + g.durationMs, 0),
        maxMs: Math.max(0, ...list.map(g => g.durationMs)),
      });
      measured.push({
        requests: result.requests,
        latencyMs: result.latencyMs,
        sustained: result.sustained,
        slow: {
          count: result.slowRequests.length,
          aroundMajorGc: result.slowRequests.filter(([due]) =>
            majors.some(
              g =>
                due >= g.atMs - AROUND_MAJOR_GC_MS[0] &&
                due <= g.atMs + AROUND_MAJOR_GC_MS[1],
            ),
          ).length,
        },
        gc: { scavenge: stat(gcs.filter(g => !g.major)), major: stat(majors) },
        loopDelayMaxMs: loopDelay.max / 1e6,
      });
    }
  } finally {
    observer.disconnect();
    await backend.stop();
  }
  return { target, windows: measured };
}
