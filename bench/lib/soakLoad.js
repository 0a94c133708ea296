'use strict';

/**
 * The mixed load of bench/soak.js, from a worker thread: fixed rates (requests per second) of
 * * `alerts`: Alertmanager notifications of 5 alerts from a fixed pool of alert identities
 *   (1,000 services × 3 kinds), each one flipping between firing and resolved, so the set of
 *   firing alerts and open incidents stays about the same size however long the run is;
 * * `otlp`: one OTLP/HTTP JSON metrics request (a gauge and a histogram for 5 services) and one
 *   traces request (5 server spans with the client spans calling them) each;
 * * `deployments`: generic deployment events;
 * * `reads`: what the UI asks: the incident list, one incident's details and an entity's health.
 * The parent posts 'snapshot' to get the latency of each kind since the last snapshot (and
 * reset it), and 'stop' to end the load.
 */

const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { largeCatalog, random } = require('./largeCatalog');

const cfg = workerData;
if (cfg.host !== '127.0.0.1')
  throw new Error('the soak bench only targets 127.0.0.1');
const rand = random(cfg.seed);
const services = largeCatalog().filter(i => i.kind === 'Component');
const pick = list => list[Math.floor(rand() * list.length)];
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const KINDS = ['HighLatencyP99', 'HighErrorRate', 'PodCrashLooping'];
const nowNano = () => `${BigInt(Date.now()) * 1_000_000n}`;

const firing = new Map();
function alertsBody() {
  const now = new Date().toISOString();
  const alerts = Array.from({ length: 5 }, () => {
    const service = pick(services);
    const kind = Math.floor(rand() * KINDS.length);
    const key = `${service.name}|${kind}`;
    const startsAt = firing.get(key);
    if (startsAt) firing.delete(key);
    else firing.set(key, now);
    return {
      status: startsAt ? 'resolved' : 'firing',
      labels: {
        alertname: KINDS[kind],
        service: service.name,
        severity: kind === 2 ? 'critical' : 'warning',
      },
      annotations: { summary: `${KINDS[kind]} on ${service.name}` },
      startsAt: startsAt ?? now,
      endsAt: startsAt ? now : '0001-01-01T00:00:00Z',
      fingerprint: `${service.name}-${kind}`,
    };
  });
  return {
    version: '4',
    groupKey: '{}:{alertname="soak"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'aiops',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.invalid:9093',
    alerts,
  };
}

const resource = name => ({
  attributes: [
    { key: 'service.name', value: { stringValue: name } },
    { key: 'deployment.environment', value: { stringValue: 'production' } },
  ],
});

function metricsBody() {
  const time = nowNano();
  return {
    resourceMetrics: Array.from({ length: 5 }, () => ({
      resource: resource(pick(services).name),
      scopeMetrics: [
        {
          scope: { name: 'soak' },
          metrics: [
            {
              name: 'process.cpu.utilization',
              gauge: { dataPoints: [{ timeUnixNano: time, asDouble: rand() }] },
            },
            {
              name: 'http.server.request.duration',
              histogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    timeUnixNano: time,
                    count: '10',
                    sum: 1.5,
                    explicitBounds: [0.05, 0.1, 0.5],
                    bucketCounts: ['4', '3', '2', '1'],
                  },
                ],
              },
            },
          ],
        },
      ],
    })),
  };
}

const hex = n =>
  Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join(
    '',
  );

function tracesBody() {
  const end = BigInt(Date.now()) * 1_000_000n;
  const start = `${end - 20_000_000n}`;
  return {
    resourceSpans: Array.from({ length: 5 }, () => {
      const callee = pick(services);
      const caller = pick(services);
      const traceId = hex(32);
      const span = (kind, name, status) => ({
        traceId,
        spanId: hex(16),
        name,
        kind,
        startTimeUnixNano: start,
        endTimeUnixNano: `${end}`,
        attributes: [
          { key: 'peer.service', value: { stringValue: callee.name } },
        ],
        status: { code: status },
      });
      return [
        {
          resource: resource(callee.name),
          scopeSpans: [{ spans: [span(2, 'GET /api', rand() < 0.05 ? 2 : 1)] }],
        },
        {
          resource: resource(caller.name),
          scopeSpans: [{ spans: [span(3, 'call', 0)] }],
        },
      ];
    }).flat(),
  };
}

let deploymentSerial = 0;
function deploymentBody() {
  const n = deploymentSerial++;
  return {
    id: `soak-${cfg.seed}-${n}`,
    service: pick(services).name,
    version: `1.${n}.0`,
    finishedAt: new Date().toISOString(),
  };
}

const latencies = {};
const errors = {};
/** Why requests failed, per kind: `status 503`, `ECONNRESET`, `timeout`. */
const reasons = {};
function record(kind, ms, failure) {
  (latencies[kind] ??= []).push(ms);
  if (failure) {
    errors[kind] = (errors[kind] ?? 0) + 1;
    const tally = (reasons[kind] ??= {});
    tally[failure] = (tally[failure] ?? 0) + 1;
  }
}

function request(kind, method, path, { body, token }) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const started = performance.now();
  return new Promise(resolve => {
    const req = http.request(
      {
        host: cfg.host,
        port: cfg.port,
        path,
        method,
        agent,
        timeout: 60_000,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload && {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          }),
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const ok = res.statusCode >= 200 && res.statusCode < 300;
          record(
            kind,
            performance.now() - started,
            ok ? undefined : `status ${res.statusCode}`,
          );
          resolve(ok ? Buffer.concat(chunks).toString('utf8') : undefined);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', error => {
      record(
        kind,
        performance.now() - started,
        error.code ?? error.message ?? 'error',
      );
      resolve(undefined);
    });
    req.end(payload);
  });
}

const ingest = path => `/api/aiops-ingest${path}`;
const correlation = path => `/api/aiops-correlation${path}`;
let recentIncidentIds = [];

const streams = {
  alerts: () =>
    request('alerts', 'POST', ingest('/alerts/alertmanager'), {
      body: alertsBody(),
      token: cfg.token,
    }),
  otlp: () =>
    Promise.all([
      request('otlpMetrics', 'POST', ingest('/otlp/v1/metrics'), {
        body: metricsBody(),
        token: cfg.token,
      }),
      request('otlpTraces', 'POST', ingest('/otlp/v1/traces'), {
        body: tracesBody(),
        token: cfg.token,
      }),
    ]),
  deployments: () =>
    request('deployments', 'POST', ingest('/deployments'), {
      body: deploymentBody(),
      token: cfg.token,
    }),
  reads: async () => {
    const list = await request(
      'uiIncidentList',
      'GET',
      correlation('/incidents?limit=50'),
      {
        token: cfg.readerToken,
      },
    );
    if (list) recentIncidentIds = JSON.parse(list).items.map(i => i.id);
    const tasks = [
      request(
        'uiEntityHealth',
        'GET',
        correlation(
          `/entities/${encodeURIComponent(pick(services).ref)}/health`,
        ),
        { token: cfg.readerToken },
      ),
    ];
    if (recentIncidentIds.length) {
      tasks.push(
        request(
          'uiIncidentDetail',
          'GET',
          correlation(
            `/incidents/${encodeURIComponent(pick(recentIncidentIds))}`,
          ),
          { token: cfg.readerToken },
        ),
      );
    }
    await Promise.all(tasks);
  },
};

let stopping = false;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function snapshot() {
  const byKind = {};
  for (const [kind, list] of Object.entries(latencies)) {
    const sorted = list.sort((a, b) => a - b);
    byKind[kind] = {
      requests: sorted.length,
      errors: errors[kind] ?? 0,
      ...(reasons[kind] && { failures: reasons[kind] }),
      p50Ms: Math.round(percentile(sorted, 0.5)),
      p99Ms: Math.round(percentile(sorted, 0.99)),
      maxMs: Math.round(sorted[sorted.length - 1]),
    };
    latencies[kind] = [];
    errors[kind] = 0;
    delete reasons[kind];
  }
  return byKind;
}

async function run(name, rate) {
  if (!(rate > 0)) return;
  const intervalMs = 1000 / rate;
  const started = Date.now();
  const pending = new Set();
  for (let i = 0; !stopping; i++) {
    const wait = started + i * intervalMs - Date.now();
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
    if (stopping) break;
    const task = streams[name]();
    pending.add(task);
    task.then(() => pending.delete(task));
  }
  await Promise.all(pending);
}

parentPort.on('message', message => {
  if (message === 'snapshot') parentPort.postMessage({ snapshot: snapshot() });
  if (message === 'stop') stopping = true;
});

Promise.all(Object.keys(streams).map(name => run(name, cfg.rates[name]))).then(
  () => {
    agent.destroy();
    parentPort.postMessage({ stopped: true, snapshot: snapshot() });
  },
);
