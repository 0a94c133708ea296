#!/usr/bin/env node
'use strict';

/**
 * Crash safety: `npm run chaos` (see docs/reliability.md). Loopback only, bounded.
 *
 * Two backend processes (the real aiops-ingest and aiops-correlation plugins, bench/lib/
 * backendProcess.js) share one set of PostgreSQL databases. A worker sends a sustained mix of
 * alert storms and unrelated alerts to both; mid-load the first process is killed with SIGKILL —
 * at a moment when a webhook notification it sent is still in flight, if one comes within 10 s —
 * and restarted on the same databases while the load goes on. Then the load stops, the
 * processes drain, and the script verifies:
 * 1. every alert that got a 2xx is stored;
 * 2. no duplicate incident (per correlation key, per alert, per "opened");
 * 3. no notification delivered twice (a local webhook receiver records every delivery);
 * 4. the feeds filled what the crash lost (every stored alert is in an incident, every change
 *    routed, both processes serve every incident and agree on their in-memory view).
 * Counts go to bench/results/chaos-<time>.json and chaos-latest.json; the exit code is 1 if an
 * invariant broke (the report names it and a few offending ids) or a step failed (named too).
 *
 * Options: --rate=N requests/s over both processes (default 12), --kill-after=S seconds of
 * load (default 12), --load=S seconds of load in all, at least 10 s after the restart
 * (default 45), --drain-timeout=S (default 90), --no-kill (the control run: the same load and
 * checks with no crash), --keep-databases (to look into a failure),
 * --no-write, --out=DIR.
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
const { startWebhookReceiver } = require('./lib/webhookReceiver');
const checks = require('./lib/chaosChecks');

const RATE = Number(option('rate', 12));
const KILL_AFTER_S = Number(option('kill-after', 12));
const LOAD_S = Number(option('load', 45));
const NO_KILL = flag('no-kill');
const DRAIN_TIMEOUT_S = Number(option('drain-timeout', 90));
const TEAMS = 12;
const LEASE_MS = 10_000;
const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
 * The plugins' configuration: every team's incidents go to the local webhook receiver, with no
 * storm-control digest in the way, a delivery pass every second and a 10-second lease, so a
 * message left claimed by the killed process is sent again within the run.
 */
function aiopsConfig(webhookUrl) {
  return {
    routing: {
      allowPrivateTargets: true,
      webhooks: [{ name: 'chaos-receiver', url: webhookUrl }],
      groups: Array.from({ length: TEAMS }, (_, t) => ({
        group: `group:default/team-${t}`,
        webhooks: ['chaos-receiver'],
      })),
      fallbackGroup: 'group:default/team-0',
      rateLimit: { maxPerWindow: 1_000_000 },
      delivery: {
        interval: 'PT1S',
        lease: `PT${LEASE_MS / 1000}S`,
        initialBackoff: 'PT1S',
        maxBackoff: 'PT5S',
      },
    },
  };
}

/** Runs `fn` as the named step; a failure says which step it was. */
async function step(report, name, fn) {
  const started = Date.now();
  try {
    const result = await fn();
    report.steps.push({
      step: name,
      seconds: +((Date.now() - started) / 1000).toFixed(1),
    });
    console.log(
      `[chaos] ${name}: done in ${((Date.now() - started) / 1000).toFixed(
        1,
      )} s`,
    );
    return result;
  } catch (error) {
    report.failedStep = { step: name, error: String(error?.stack ?? error) };
    throw error;
  }
}

function startLoad(ports, token) {
  const worker = new Worker(path.join(__dirname, 'lib', 'chaosLoad.js'), {
    workerData: { host: '127.0.0.1', ports, token, rate: RATE, seed: 11 },
  });
  const result = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const r = await result;
      await worker.terminate();
      return r;
    },
  };
}

/** Waits until the pipeline is idle: every alert in an incident, every change routed and sent. */
async function drain(dbs) {
  const deadline = Date.now() + DRAIN_TIMEOUT_S * 1000;
  let idlePolls = 0;
  let state;
  while (Date.now() < deadline) {
    state = await checks.pipelineState(dbs);
    const idle =
      state.storedAlertsInNoIncident.length === 0 &&
      state.unroutedChanges === 0 &&
      state.webhooksWaiting === 0;
    idlePolls = idle ? idlePolls + 1 : 0;
    // Twice in a row, a tick apart, so nothing was still on its way.
    if (idlePolls >= 2) return { drained: true };
    await sleep(idlePolls ? 6000 : 2000);
  }
  return {
    drained: false,
    storedAlertsInNoIncident: state.storedAlertsInNoIncident.length,
    unroutedChanges: state.unroutedChanges,
    webhooksWaiting: state.webhooksWaiting,
  };
}

function loadAverage() {
  const [one, five, fifteen] = os.loadavg().map(l => +l.toFixed(2));
  return { one, five, fifteen };
}

async function main() {
  const startedAt = new Date();
  const report = {
    benchmark: 'chaos',
    date: startedAt.toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      node: process.version,
      loadAverageAtStart: loadAverage(),
    },
    settings: {
      rateRequestsPerSecond: RATE,
      killAfterSeconds: KILL_AFTER_S,
      loadSeconds: LOAD_S,
    },
    steps: [],
  };
  const prefix = `aiops_chaos_${process.pid}_${Date.now().toString(36)}_`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiops-chaos-'));
  const token = crypto.randomBytes(24).toString('base64url');
  const readerToken = crypto.randomBytes(24).toString('base64url');
  const receiver = await startWebhookReceiver({ delayMs: 250 });
  const [portA, portB] = [await freePort(), await freePort()];
  const backends = new Set();
  const fork = (port, label) => {
    const backend = forkBackend(
      {
        port,
        prefix,
        token,
        readerToken,
        logLevel: 'info',
        aiops: aiopsConfig(receiver.url(label)),
      },
      { logFile: path.join(logDir, `${label}.log`) },
    );
    backends.add(backend);
    return backend;
  };
  report.logs = logDir;
  let dbs;
  let load;
  let ok = false;
  try {
    const a1 = fork(portA, 'a1');
    await step(report, 'start process A', () => a1.ready);
    // After A, which has created and migrated the databases.
    const b1 = fork(portB, 'b1');
    await step(report, 'start process B', () => b1.ready);
    dbs = await checks.openDatabases(prefix);

    load = startLoad([portA, portB], token);
    const loadStarted = Date.now();
    await sleep(KILL_AFTER_S * 1000);
    let kill = { at: undefined };
    if (NO_KILL) {
      report.kill = 'none (--no-kill: the control run)';
    } else {
      kill = await step(report, 'kill -9 process A mid-load', async () => {
        await receiver.waitForInFlight('a1', 10_000);
        const inFlight = receiver.inFlight('a1');
        const at = Date.now();
        a1.child.kill('SIGKILL');
        const exit = await a1.exited;
        if (exit.signal !== 'SIGKILL')
          throw new Error(`process A exited with ${exit.code} before the kill`);
        return {
          at,
          inFlight,
          atSecondOfLoad: +((at - loadStarted) / 1000).toFixed(1),
        };
      });
      report.kill = {
        atSecondOfLoad: kill.atSecondOfLoad,
        webhookInFlightToA: kill.inFlight.length,
        loadAverage: loadAverage(),
      };
      const a2 = fork(portA, 'a2');
      await step(
        report,
        'restart process A on the same databases',
        () => a2.ready,
      );
      report.restartSeconds = +((Date.now() - kill.at) / 1000).toFixed(1);
    }
    const remaining = Math.max(
      10_000,
      LOAD_S * 1000 - (Date.now() - loadStarted),
    );
    await sleep(remaining);
    const sent = await step(report, 'stop the load', () => load.stop());
    load = undefined;
    report.load = {
      seconds: +(sent.elapsedMs / 1000).toFixed(1),
      perProcess: { A: sent.perPort[portA], B: sent.perPort[portB] },
      ackedAlerts: sent.ackedIds.length,
      loadAverage: loadAverage(),
    };
    report.drain = await step(report, 'drain', () => drain(dbs));
    if (!NO_KILL) {
      const restartedLog = fs.readFileSync(path.join(logDir, 'a2.log'), 'utf8');
      report.restartedProcessResumed =
        /Correlation resumed at [^\n]*/.exec(restartedLog)?.[0] ??
        'no "Correlation resumed" line in its log';
    }

    report.invariants = await step(report, 'verify', async () => [
      await checks.ackedAlertsStored(dbs, sent.ackedIds),
      await checks.noDuplicateIncidents(dbs),
      await checks.noNotificationDeliveredTwice(dbs, receiver, {
        killedSender: 'a1',
        killedAt: kill.at,
        leaseMs: LEASE_MS,
      }),
      await checks.feedsCaughtUp(dbs, {
        readerToken,
        backends: [
          {
            label: NO_KILL ? 'A' : 'A_restarted',
            baseUrl: `http://127.0.0.1:${portA}`,
          },
          { label: 'B', baseUrl: `http://127.0.0.1:${portB}` },
        ],
      }),
    ]);
    ok = report.drain.drained && report.invariants.every(i => i.ok);
  } catch (error) {
    console.error(
      `[chaos] step failed: ${report.failedStep?.step ?? 'setup'}: ${error}`,
    );
  } finally {
    if (load) await load.stop().catch(() => {});
    await dbs?.close().catch(() => {});
    await Promise.all([...backends].map(b => b.stop().catch(() => {})));
    await receiver.close();
    if (flag('keep-databases'))
      console.log(`[chaos] databases kept: ${prefix}*`);
    else
      await dropDatabases(prefix).catch(error =>
        console.error(
          `[chaos] could not drop the ${prefix}* databases: ${error}`,
        ),
      );
  }
  report.totalSeconds = +((Date.now() - startedAt.getTime()) / 1000).toFixed(1);
  report.verdict = ok ? 'pass' : 'fail';
  for (const inv of report.invariants ?? []) {
    console.log(
      `[chaos] ${inv.ok ? 'OK    ' : 'BROKEN'} ${inv.name}: ${JSON.stringify(
        inv.counts,
      )}`,
    );
    if (!inv.ok)
      console.log(`[chaos]        offending: ${JSON.stringify(inv.samples)}`);
  }
  if (report.drain && !report.drain.drained) {
    console.log(
      `[chaos] BROKEN the processes did not drain in ${DRAIN_TIMEOUT_S} s: ${JSON.stringify(
        report.drain,
      )}`,
    );
  }
  console.log(`[chaos] ${report.verdict} (logs in ${logDir})`);
  if (!flag('no-write'))
    console.log(`[chaos] wrote ${writeReport('chaos', startedAt, report)}`);
  process.exit(ok ? 0 : 1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
