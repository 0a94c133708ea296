'use strict';

/**
 * A backend as a process of its own, for benches that kill and restart backends or watch one's
 * memory (bench/chaos.js, bench/soak.js): the real aiops-ingest and aiops-correlation plugins on
 * PostgreSQL (see ingestBackend.js), the large bench catalog, listening on 127.0.0.1.
 *
 * Started with `forkBackend` (child_process.fork); its settings come as JSON in the AIOPS_BENCH_BACKEND
 * environment variable: `{ port, prefix, token, readerToken, logLevel, aiops }` — processes
 * given the same prefix share one database set. It sends `{ ready: true }` over IPC once the
 * backend has started, and `{ rss, heapUsed }` (bytes) whenever the parent sends
 * `{ memory: true }`. SIGTERM stops it cleanly (its databases are left to the parent).
 */

const { fork } = require('node:child_process');
const fs = require('node:fs');

/**
 * Forks a backend process; its output goes to `logFile` (appended). Resolves once it is ready;
 * rejects if it exits first or is not ready within `timeoutMs`.
 */
function forkBackend(settings, { logFile, timeoutMs = 180_000 }) {
  const log = fs.openSync(logFile, 'a');
  const child = fork(__filename, [], {
    env: { ...process.env, AIOPS_BENCH_BACKEND: JSON.stringify(settings) },
    stdio: ['ignore', log, log, 'ipc'],
  });
  fs.closeSync(log);
  const exited = new Promise(resolve =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(
          `backend on port ${settings.port} not ready after ${timeoutMs} ms (see ${logFile})`,
        ),
      );
    }, timeoutMs);
    child.on('message', message => {
      if (message?.ready) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `backend on port ${settings.port} exited (${
            signal ?? code
          }) before it was ready (see ${logFile})`,
        ),
      );
    });
  });
  return {
    child,
    ready,
    exited,
    /** The process's memory (bytes), as it measures it. */
    memory() {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('no memory answer in 10 s')),
          10_000,
        );
        const onMessage = message => {
          if (message?.rss === undefined) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
        child.send({ memory: true });
      });
    },
    /** Writes a V8 heap snapshot of the process to `file` (see bench/heap-summary.js). */
    heapSnapshot(file) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('no heap snapshot in 10 minutes')),
          600_000,
        );
        const onMessage = message => {
          if (message?.heapSnapshot !== file) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(file);
        };
        child.on('message', onMessage);
        child.send({ heapSnapshot: file });
      });
    },
    /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function main() {
  require('@backstage/cli/config/nodeTransform.cjs');
  const { startIngestBackend } = require('./ingestBackend');
  const { largeCatalogEntities } = require('./largeCatalog');
  const settings = JSON.parse(process.env.AIOPS_BENCH_BACKEND ?? '{}');
  const backend = await startIngestBackend({
    database: 'postgres',
    port: settings.port,
    prefix: settings.prefix,
    token: settings.token,
    readerToken: settings.readerToken,
    logLevel: settings.logLevel ?? 'warn',
    catalog: largeCatalogEntities(),
    features: [require('@aiops/plugin-aiops-correlation-backend')],
    aiops: settings.aiops ?? {},
  });
  process.on('message', message => {
    if (message?.memory) {
      const { rss, heapUsed } = process.memoryUsage();
      process.send({ rss, heapUsed });
    }
    if (message?.heapSnapshot) {
      require('node:v8').writeHeapSnapshot(message.heapSnapshot);
      process.send({ heapSnapshot: message.heapSnapshot });
    }
  });
  process.once('SIGTERM', () => {
    backend
      .stop()
      .catch(error => console.error(`stop failed: ${error}`))
      .finally(() => process.exit(0));
  });
  process.send({ ready: true });
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { forkBackend };
