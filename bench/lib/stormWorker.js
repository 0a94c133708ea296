'use strict';

/**
 * Sends an alert storm to aiops-ingest at a fixed rate, from a worker thread so the sender does
 * not queue behind the backend it measures (same process, main thread). Each request is one
 * Alertmanager notification carrying `alertsPerRequest` new firing alerts: a root service of
 * the large bench catalog and services that depend on it, as a cascade looks. Reports every
 * accepted alert's ingest id with the absolute time its acknowledgement arrived. With `noise`,
 * every alert is unowned and of a new kind (the bench's way to fill correlation with open
 * incidents).
 */

const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { parentPort, workerData } = require('node:worker_threads');
const { largeCatalog, random } = require('./largeCatalog');

const cfg = workerData;
if (cfg.host !== '127.0.0.1')
  throw new Error('the bench only targets 127.0.0.1');
const now = () => performance.timeOrigin + performance.now();
const rand = random(cfg.seed);
const items = largeCatalog();
const dependents = new Map(items.map(i => [i.ref, []]));
for (const item of items)
  for (const dep of item.dependsOn) dependents.get(dep).push(item);
const components = items.filter(i => i.kind === 'Component');
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let serial = 0;

function cascade() {
  const root = components[Math.floor(rand() * components.length)];
  const chain = [root];
  for (
    let i = 0;
    chain.length < cfg.alertsPerRequest && i < chain.length;
    i++
  ) {
    chain.push(...dependents.get(chain[i].ref));
  }
  while (chain.length < cfg.alertsPerRequest) {
    chain.push(components[Math.floor(rand() * components.length)]);
  }
  return chain.slice(0, cfg.alertsPerRequest);
}

/** Unowned alerts, each of a kind never seen before: what opens one incident per alert. */
function noise(startsAt) {
  return Array.from({ length: cfg.alertsPerRequest }, () => {
    const n = serial++;
    return {
      status: 'firing',
      labels: {
        alertname: `Noise${cfg.seed}x${n}`,
        severity: 'warning',
        instance: `noise-${cfg.seed}-${n}`,
      },
      annotations: {},
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: `${cfg.seed.toString(16)}${n
        .toString(16)
        .padStart(12, '0')}`,
    };
  });
}

function body() {
  const startsAt = new Date().toISOString();
  const alerts = cfg.noise
    ? noise(startsAt)
    : cascade().map((item, i) => {
        const n = serial++;
        return {
          status: 'firing',
          labels: {
            alertname: i === 0 ? 'ServiceDown' : 'UpstreamErrors',
            service: item.name,
            severity: i === 0 ? 'critical' : 'error',
            instance: `storm-${cfg.seed}-${n}`,
          },
          annotations: { summary: `${item.name} is failing` },
          startsAt,
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus.example.invalid/graph',
          fingerprint: `${cfg.seed.toString(16)}${n
            .toString(16)
            .padStart(12, '0')}`,
        };
      });
  return JSON.stringify({
    version: '4',
    groupKey: '{}:{alertname="storm"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'aiops',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.invalid:9093',
    alerts,
  });
}

function send() {
  return new Promise(resolve => {
    const payload = body();
    const req = http.request(
      {
        host: cfg.host,
        port: cfg.port,
        path: '/api/aiops-ingest/alerts/alertmanager',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${cfg.token}`,
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const ackAt = now();
          if (res.statusCode !== 200) {
            resolve({ failed: 1, acks: [] });
            return;
          }
          const receipt = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve({
            failed: 0,
            acks: receipt.alerts.map(a => ({ id: a.id, ackAt })),
          });
        });
      },
    );
    req.on('error', () => resolve({ failed: 1, acks: [] }));
    req.end(payload);
  });
}

async function main() {
  const intervalMs = 1000 / cfg.rate;
  const started = now();
  const pending = [];
  for (let i = 0; ; i++) {
    const due = started + i * intervalMs;
    if (due - started >= cfg.durationMs) break;
    const wait = due - now();
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
    pending.push(send());
  }
  const results = await Promise.all(pending);
  parentPort.postMessage({
    requests: results.length,
    failed: results.reduce((n, r) => n + r.failed, 0),
    acks: results.flatMap(r => r.acks),
    elapsedMs: now() - started,
  });
}

main();
