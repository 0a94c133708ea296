'use strict';

/**
 * A sustained alert load for bench/chaos.js, from a worker thread: Alertmanager notifications
 * at `rate` requests per second, spread over the backends' `ports` in turn, until the parent
 * posts 'stop'. A mix, so that correlation has several incidents to build:
 * * 35 % storms: a root service of the large bench catalog (critical) and up to 5 services that
 *   depend on it (error);
 * * 45 % unrelated alerts: 1–3 alerts on random services, of one of a few kinds (warning/error);
 * * 10 % unowned alerts: a `service` no catalog entity names;
 * * 10 % repeats of an earlier notification (Alertmanager re-notifies; ingest deduplicates).
 * Reports every alert id a 2xx acknowledged, and per port the requests that failed and why.
 */

const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { largeCatalog, random } = require('./largeCatalog');

const cfg = workerData;
if (cfg.host !== '127.0.0.1')
  throw new Error('the chaos bench only targets 127.0.0.1');
const rand = random(cfg.seed);
const items = largeCatalog();
const dependents = new Map(items.map(i => [i.ref, []]));
for (const item of items)
  for (const dep of item.dependsOn) dependents.get(dep).push(item);
const components = items.filter(i => i.kind === 'Component');
const KINDS = [
  'HighLatencyP99',
  'PodCrashLooping',
  'DiskFillingUp',
  'CPUThrottlingHigh',
];
const agents = new Map(
  cfg.ports.map(p => [p, new http.Agent({ keepAlive: true, maxSockets: 32 })]),
);
const pick = list => list[Math.floor(rand() * list.length)];
let serial = 0;

function firing(labels, startsAt) {
  const n = serial++;
  return {
    status: 'firing',
    labels: { ...labels, instance: `chaos-${cfg.seed}-${n}` },
    annotations: { summary: `${labels.alertname} on ${labels.service}` },
    startsAt,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example.invalid/graph',
    fingerprint: `c${cfg.seed.toString(16)}${n.toString(16).padStart(12, '0')}`,
  };
}

function storm(startsAt) {
  const root = pick(components);
  const chain = [root, ...dependents.get(root.ref)].slice(0, 6);
  return chain.map((item, i) =>
    firing(
      {
        alertname: i === 0 ? 'ServiceDown' : 'UpstreamErrors',
        service: item.name,
        severity: i === 0 ? 'critical' : 'error',
      },
      startsAt,
    ),
  );
}

function unrelated(startsAt) {
  const count = 1 + Math.floor(rand() * 3);
  return Array.from({ length: count }, () =>
    firing(
      {
        alertname: pick(KINDS),
        service: pick(components).name,
        severity: rand() < 0.5 ? 'warning' : 'error',
      },
      startsAt,
    ),
  );
}

function unowned(startsAt) {
  return [
    firing(
      {
        alertname: pick(KINDS),
        service: `legacy-batch-${Math.floor(rand() * 5)}`,
        severity: 'warning',
      },
      startsAt,
    ),
  ];
}

const sentBodies = [];

function nextBody() {
  const roll = rand();
  if (roll < 0.1 && sentBodies.length > 10) return pick(sentBodies);
  const startsAt = new Date().toISOString();
  let alerts;
  if (roll < 0.45) alerts = storm(startsAt);
  else if (roll < 0.9) alerts = unrelated(startsAt);
  else alerts = unowned(startsAt);
  const body = JSON.stringify({
    version: '4',
    groupKey: '{}:{alertname="chaos"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'aiops',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.invalid:9093',
    alerts,
  });
  if (sentBodies.length < 500) sentBodies.push(body);
  return body;
}

const perPort = Object.fromEntries(
  cfg.ports.map(p => [p, { requests: 0, acked: 0, failures: {} }]),
);
const acked = new Set();

function send(port, payload) {
  const stats = perPort[port];
  stats.requests++;
  const fail = reason => {
    stats.failures[reason] = (stats.failures[reason] ?? 0) + 1;
  };
  return new Promise(resolve => {
    const req = http.request(
      {
        host: cfg.host,
        port,
        path: '/api/aiops-ingest/alerts/alertmanager',
        method: 'POST',
        agent: agents.get(port),
        timeout: 30_000,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${cfg.token}`,
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('error', error => {
          fail(error.code ?? 'response error');
          resolve();
        });
        res.on('end', () => {
          if (res.statusCode < 200 || res.statusCode > 299) {
            fail(`HTTP ${res.statusCode}`);
          } else {
            stats.acked++;
            const receipt = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            for (const alert of receipt.alerts) acked.add(alert.id);
          }
          resolve();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', error => {
      fail(error.code ?? error.message);
      resolve();
    });
    req.end(payload);
  });
}

let stopping = false;
parentPort.on('message', message => {
  if (message === 'stop') stopping = true;
});

async function main() {
  const intervalMs = 1000 / cfg.rate;
  const started = Date.now();
  const pending = new Set();
  for (let i = 0; !stopping; i++) {
    const wait = started + i * intervalMs - Date.now();
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
    if (stopping) break;
    const port = cfg.ports[i % cfg.ports.length];
    const request = send(port, nextBody());
    pending.add(request);
    request.then(() => pending.delete(request));
  }
  await Promise.all(pending);
  parentPort.postMessage({
    elapsedMs: Date.now() - started,
    perPort,
    ackedIds: [...acked],
  });
  for (const agent of agents.values()) agent.destroy();
}

main();
