'use strict';

/**
 * Load generator, run as a process of its own (`runLoad` below forks it): it has its own event
 * loop, so it does not queue behind the backend it measures, and it runs with Node.js' default
 * flags whatever flags the backend under test was started with (docs/benchmarks.md).
 *
 * Two modes:
 * - `closed`: `concurrency` requests in flight all the time, for `durationMs` after
 *   `warmupMs`; measures the most the target accepts (throughput) and latency at saturation.
 * - `open`: requests are started at a fixed `rate` (per second) whatever the answers do, up to
 *   `maxInFlight`; latency counts from the moment a request was *due*, so a target that falls
 *   behind shows it in its latency (no coordinated omission).
 *
 * Latency is per request, client side: from the first byte written (closed) or the due time
 * (open) to the last byte of the answer. Only 127.0.0.1 is ever targeted. With `slowOverMs`,
 * an open loop also lists the requests slower than that (`slowRequests`: due time as epoch
 * milliseconds, latency), to line them up with what the server was doing.
 */

const { fork } = require('node:child_process');
const { createClient } = require('./httpClient');
const {
  createAlertSource,
  webhookBody,
  alertmanagerApiBody,
} = require('./alerts');

/**
 * Runs one phase of load in a new process; resolves with its result, which includes the CPU
 * time the load generator used (`loadGeneratorCpuMs`).
 */
function runLoad(config) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { execArgv: [] });
    let settled = false;
    child.once('message', message => {
      settled = true;
      if (message.error) reject(new Error(message.error));
      else resolve(message.result);
    });
    child.once('error', error => {
      settled = true;
      reject(error);
    });
    child.once('exit', code => {
      if (!settled) reject(new Error(`load generator exited with ${code}`));
    });
    child.send(config);
  });
}

module.exports = { runLoad };

if (require.main === module) {
  const reply = message => process.send(message, () => process.disconnect());
  process.once('message', config => {
    if (config.host !== '127.0.0.1') {
      reply({
        error: `refusing to target ${config.host}: the bench only targets 127.0.0.1`,
      });
      return;
    }
    generate(config).then(
      result => {
        const used = process.cpuUsage();
        reply({
          result: {
            ...result,
            loadGeneratorCpuMs: (used.user + used.system) / 1000,
          },
        });
      },
      error => reply({ error: String(error?.stack ?? error) }),
    );
  });
}

function generate(cfg) {
  const source = createAlertSource({ seed: cfg.seed, prefix: cfg.prefix });
  const client = createClient({
    host: cfg.host,
    port: cfg.port,
    maxConnections: cfg.mode === 'open' ? cfg.maxInFlight : cfg.concurrency,
  });
  const headers = { 'content-type': 'application/json', ...cfg.headers };

  function buildBody() {
    const deliveries = [];
    for (let i = 0; i < cfg.batchSize; i++)
      deliveries.push(source.nextDelivery());
    const nowIso = new Date().toISOString();
    const body =
      cfg.format === 'webhook'
        ? webhookBody(deliveries, nowIso)
        : alertmanagerApiBody(deliveries, nowIso);
    return Buffer.from(JSON.stringify(body));
  }

  const now = () => performance.now();

  /** Sends one request; resolves with what happened, never rejects. */
  async function send(body) {
    const {
      status,
      body: answer,
      error,
    } = await client.post(cfg.path, headers, body);
    if (status === 0) return { status, accepted: 0, error };
    let accepted = 0;
    if (status === 200) {
      if (cfg.acceptedFromBody) {
        try {
          accepted = JSON.parse(answer.toString('utf8')).accepted ?? 0;
        } catch {
          accepted = 0;
        }
      } else {
        accepted = cfg.batchSize;
      }
    }
    return {
      status,
      accepted,
      error:
        status === 200
          ? undefined
          : `HTTP ${status}: ${answer.toString('utf8').slice(0, 300)}`,
    };
  }

  function summarize(latencies, extra) {
    const sorted = Float64Array.from(latencies).sort();
    const q = p =>
      sorted.length
        ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]
        : null;
    const sum = latencies.reduce((a, b) => a + b, 0);
    return {
      ...extra,
      latencyMs: {
        mean: sorted.length ? sum / sorted.length : null,
        p50: q(0.5),
        p95: q(0.95),
        p99: q(0.99),
        max: sorted.length ? sorted[sorted.length - 1] : null,
      },
    };
  }

  async function closedLoop() {
    const start = now();
    const windowStart = start + cfg.warmupMs;
    const windowEnd = windowStart + cfg.durationMs;
    const latencies = [];
    let requests = 0;
    let ok = 0;
    let alertsSent = 0;
    let accepted = 0;
    let warmupRequests = 0;
    const errors = {};

    async function loop() {
      while (now() < windowEnd) {
        const body = buildBody();
        const t0 = now();
        const result = await send(body);
        const t1 = now();
        // Counted when it completes inside the window.
        if (t1 < windowStart || t1 > windowEnd) {
          warmupRequests += 1;
          if (result.error && t1 < windowStart)
            errors[`warmup ${result.error}`] =
              (errors[`warmup ${result.error}`] ?? 0) + 1;
          continue;
        }
        requests += 1;
        alertsSent += cfg.batchSize;
        latencies.push(t1 - t0);
        if (result.status === 200) {
          ok += 1;
          accepted += result.accepted;
        } else {
          errors[result.error] = (errors[result.error] ?? 0) + 1;
        }
      }
    }
    await Promise.all(Array.from({ length: cfg.concurrency }, loop));
    const seconds = cfg.durationMs / 1000;
    return summarize(latencies, {
      requests,
      okRequests: ok,
      alertsSent,
      alertsAccepted: accepted,
      seconds,
      requestsPerS: ok / seconds,
      alertsPerS: accepted / seconds,
      errors,
      warmupRequests,
    });
  }

  async function openLoop() {
    const intervalMs = 1000 / cfg.rate;
    const start = now() + 5;
    const windowStart = start + cfg.warmupMs;
    const windowEnd = windowStart + cfg.durationMs;
    const latencies = [];
    let scheduled = 0; // requests started so far (index of the next one)
    let inFlight = 0;
    let requests = 0;
    let ok = 0;
    let accepted = 0;
    let alertsSent = 0;
    let lastCompletion = windowStart;
    let maxBacklog = 0;
    const errors = {};
    const pending = new Set();
    const slowRequests = [];

    const launch = (index, due) => {
      inFlight += 1;
      const measured = due >= windowStart && due < windowEnd;
      const body = buildBody();
      const p = send(body).then(result => {
        const done = now();
        inFlight -= 1;
        pending.delete(p);
        if (!measured) return;
        requests += 1;
        alertsSent += cfg.batchSize;
        latencies.push(done - due);
        if (cfg.slowOverMs !== undefined && done - due > cfg.slowOverMs)
          slowRequests.push([performance.timeOrigin + due, done - due]);
        lastCompletion = Math.max(lastCompletion, done);
        if (result.status === 200) {
          ok += 1;
          accepted += result.accepted;
        } else {
          errors[result.error] = (errors[result.error] ?? 0) + 1;
        }
      });
      pending.add(p);
    };

    await new Promise(resolve => {
      const tick = () => {
        const t = now();
        const dueCount =
          Math.floor((Math.min(t, windowEnd) - start) / intervalMs) + 1;
        maxBacklog = Math.max(maxBacklog, dueCount - scheduled);
        while (scheduled < dueCount && inFlight < cfg.maxInFlight) {
          const due = start + scheduled * intervalMs;
          if (due >= windowEnd) break;
          launch(scheduled, due);
          scheduled += 1;
        }
        const allDue = Math.floor((windowEnd - start) / intervalMs);
        // A target that fell behind does not get to stretch the phase: what was not started a
        // second after the window closed is counted as not sent.
        if (scheduled >= allDue || t > windowEnd + 1000) return resolve();
        setTimeout(tick, 1);
      };
      tick();
    });
    const drainDeadline = now() + 5_000;
    while (pending.size && now() < drainDeadline)
      await Promise.race([...pending, new Promise(r => setTimeout(r, 100))]);
    // Requests i with a due time start + i * interval inside the window are the measured ones.
    const firstMeasured = Math.ceil((windowStart - start) / intervalMs);
    const lastMeasured = Math.ceil((windowEnd - start) / intervalMs) - 1;
    const expected = lastMeasured - firstMeasured + 1;
    const notSent = Math.max(
      0,
      lastMeasured - Math.max(scheduled, firstMeasured) + 1,
    );
    const unfinished = Math.max(0, expected - requests - notSent);
    const seconds = cfg.durationMs / 1000;
    const drainMs = Math.max(0, lastCompletion - windowEnd);
    return summarize(latencies, {
      requests,
      okRequests: ok,
      alertsSent,
      alertsAccepted: accepted,
      seconds,
      targetRequestsPerS: cfg.rate,
      requestsPerS: ok / ((cfg.durationMs + drainMs) / 1000),
      alertsPerS: accepted / ((cfg.durationMs + drainMs) / 1000),
      expectedRequests: expected,
      drainMs,
      maxBacklog,
      // Due in the window but never started (the target was too far behind), or started and not
      // answered within 5 s after the phase; neither is in the latency figures.
      notSent,
      unfinished,
      // Kept up: every due request answered, and the backlog gone within a second of the end.
      sustained: ok >= expected * 0.99 && drainMs < 1000,
      errors,
      ...(cfg.slowOverMs !== undefined && { slowRequests }),
    });
  }

  return (cfg.mode === 'open' ? openLoop() : closedLoop()).finally(() =>
    client.destroy(),
  );
}
