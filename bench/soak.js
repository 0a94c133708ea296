#!/usr/bin/env node
'use strict';

/**
 * Soak: `npm run soak` (see docs/reliability.md). Loopback only.
 *
 * One backend process (the real aiops-ingest and aiops-correlation plugins on PostgreSQL,
 * bench/lib/backendProcess.js) under a steady mix of alerts, OTLP metrics and traces,
 * deployments and UI reads (bench/lib/soakLoad.js) for N minutes. Every sample interval it
 * records the process's RSS and heap, and each kind of request's count, errors and p50/p99.
 *
 * Verdict: memory reaches a plateau when the RSS growth over the last third of the run — the
 * least-squares slope of its samples times the third's length — is below 5 % of the third's
 * mean RSS (PLATEAU_GROWTH). With fewer than 4 samples in the last third the run is too short
 * to say. Written to bench/results/soak-<time>.json and soak-latest.json.
 *
 * Options: --minutes=N (default 30), --sample=S seconds between samples (default 60),
 * --alerts=N, --otlp=N, --deployments=N, --reads=N requests/s of each kind (defaults 10, 2,
 * 0.2, 2), --heap-snapshots=M,M (minutes at which to write a V8 heap snapshot of the backend
 * into the run's log directory; compare them with bench/heap-summary.js), --no-write, --out=DIR.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { flag, option, writeReport } = require('./lib/cli');
const { forkBackend } = require('./lib/backendProcess');
const { dropDatabases } = require('./lib/ingestBackend');
const { freePort } = require('./lib/freePort');

const MINUTES = Number(option('minutes', 30));
const SAMPLE_S = Number(option('sample', 60));
const RATES = {
  alerts: Number(option('alerts', 10)),
  otlp: Number(option('otlp', 2)),
  deployments: Number(option('deployments', 0.2)),
  reads: Number(option('reads', 2)),
};
/** The largest RSS growth over the last third of the run, relative to its mean, of a plateau. */
const PLATEAU_GROWTH = 0.05;
const HEAP_SNAPSHOT_MINUTES = option('heap-snapshots', '')
  .split(',')
  .filter(Boolean)
  .map(Number);
const MIB = 1024 * 1024;
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Least-squares slope of `ys` over `xs`. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Growth of `key` over the last third of the samples, by its fitted slope. */
function lastThirdGrowth(samples, key) {
  const third = samples.slice(Math.floor((samples.length * 2) / 3));
  if (third.length < 4) return undefined;
  const xs = third.map(s => s.minute);
  const ys = third.map(s => s[key]);
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const growth = slope(xs, ys) * (xs[xs.length - 1] - xs[0]);
  return {
    fromMinute: xs[0],
    toMinute: xs[xs.length - 1],
    meanMiB: +(mean / MIB).toFixed(1),
    growthMiB: +(growth / MIB).toFixed(1),
    relative: +(growth / mean).toFixed(4),
  };
}

function verdict(samples) {
  const rss = lastThirdGrowth(samples, 'rss');
  if (!rss) {
    return {
      plateau: undefined,
      reason: `too short to judge: fewer than 4 samples in the last third (${samples.length} in all)`,
    };
  }
  return {
    plateau: rss.relative < PLATEAU_GROWTH,
    rule: `RSS growth over the last third (fitted slope × its length) below ${
      PLATEAU_GROWTH * 100
    } % of its mean`,
    rss,
    heapUsed: lastThirdGrowth(samples, 'heapUsed'),
  };
}

async function main() {
  const startedAt = new Date();
  const prefix = `aiops_soak_${process.pid}_${Date.now().toString(36)}_`;
  const token = crypto.randomBytes(24).toString('base64url');
  const readerToken = crypto.randomBytes(24).toString('base64url');
  const port = await freePort();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiops-soak-'));
  const report = {
    benchmark: 'soak',
    date: startedAt.toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      node: process.version,
      totalMemMiB: Math.round(os.totalmem() / MIB),
    },
    settings: {
      minutes: MINUTES,
      sampleSeconds: SAMPLE_S,
      requestsPerSecond: RATES,
    },
    logs: logDir,
    samples: [],
  };
  const backend = forkBackend(
    { port, prefix, token, readerToken, logLevel: 'warn' },
    { logFile: path.join(logDir, 'backend.log') },
  );
  let worker;
  try {
    await backend.ready;
    worker = new Worker(path.join(__dirname, 'lib', 'soakLoad.js'), {
      workerData: {
        host: '127.0.0.1',
        port,
        token,
        readerToken,
        rates: RATES,
        seed: 5,
      },
    });
    const workerFailed = new Promise((_, reject) =>
      worker.once('error', reject),
    );
    // Handled by each snapshot's race; until the first, this keeps it from being unhandled.
    workerFailed.catch(() => {});
    const nextSnapshot = () =>
      Promise.race([
        workerFailed,
        new Promise(resolve => {
          worker.once('message', m => resolve(m.snapshot));
          worker.postMessage('snapshot');
        }),
      ]);
    const loadStarted = Date.now();
    const end = loadStarted + MINUTES * 60_000;
    for (
      let next = loadStarted + SAMPLE_S * 1000;
      next <= end;
      next += SAMPLE_S * 1000
    ) {
      await sleep(next - Date.now());
      const [memory, requests] = await Promise.all([
        backend.memory(),
        nextSnapshot(),
      ]);
      const sample = {
        minute: +((Date.now() - loadStarted) / 60_000).toFixed(2),
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        loadAverage1m: +os.loadavg()[0].toFixed(2),
        requests,
      };
      report.samples.push(sample);
      while (
        HEAP_SNAPSHOT_MINUTES.length > 0 &&
        sample.minute >= HEAP_SNAPSHOT_MINUTES[0]
      ) {
        const file = path.join(
          logDir,
          `backend-${HEAP_SNAPSHOT_MINUTES.shift()}min.heapsnapshot`,
        );
        await backend.heapSnapshot(file);
        (report.heapSnapshots ??= []).push({ minute: sample.minute, file });
        console.log(`[soak] heap snapshot: ${file}`);
      }
      const p99s = Object.entries(requests)
        .map(
          ([kind, r]) =>
            `${kind} ${r.p99Ms}${
              r.errors
                ? ` (${r.errors} failed: ${Object.entries(r.failures ?? {})
                    .map(([why, n]) => `${n} ${why}`)
                    .join(', ')})`
                : ''
            }`,
        )
        .join(', ');
      console.log(
        `[soak] ${sample.minute} min: RSS ${(sample.rss / MIB).toFixed(
          0,
        )} MiB, heap ${(sample.heapUsed / MIB).toFixed(0)} MiB, load ${
          sample.loadAverage1m
        }; p99 ms: ${p99s}`,
      );
    }
    worker.postMessage('stop');
    await new Promise(resolve =>
      worker.on('message', m => m.stopped && resolve()),
    );
  } finally {
    await worker?.terminate();
    await backend.stop().catch(() => {});
    await dropDatabases(prefix).catch(error =>
      console.error(`[soak] could not drop the ${prefix}* databases: ${error}`),
    );
  }
  const requests = report.samples.flatMap(s => Object.values(s.requests));
  report.totals = {
    requests: requests.reduce((n, r) => n + r.requests, 0),
    errors: requests.reduce((n, r) => n + r.errors, 0),
  };
  report.verdict = verdict(report.samples);
  console.log(`[soak] totals: ${JSON.stringify(report.totals)}`);
  console.log(`[soak] verdict: ${JSON.stringify(report.verdict)}`);
  if (!flag('no-write'))
    console.log(`[soak] wrote ${writeReport('soak', startedAt, report)}`);
  process.exit(
    report.verdict.plateau === false || report.totals.errors > 0 ? 1 : 0,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
