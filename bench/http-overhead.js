#!/usr/bin/env node
'use strict';

/**
 * What a request costs the backend's thread before any store work: single-alert requests with a
 * wrong token (answered 401 after the root router, body reading and parsing, the OpenAPI
 * validator and authentication) against the same requests with the right token (accepted and
 * stored). SQLite, 16 in flight, 4 s each, 127.0.0.1 only.
 *
 *   node bench/http-overhead.js
 */

process.env.NODE_ENV = process.env.NODE_ENV || 'production';
require('@backstage/cli/config/nodeTransform.cjs');

const cpu = require('./lib/cpu');
const { freePort } = require('./lib/freePort');
const { startIngestBackend } = require('./lib/ingestBackend');
const { runLoad } = require('./lib/loadWorker');

(async () => {
  const port = await freePort();
  const backend = await startIngestBackend({
    database: 'sqlite',
    port,
    logLevel: 'error',
  });
  try {
    const cases = [
      ['rejected (401)', { authorization: 'Bearer not-a-valid-token' }],
      ['accepted (200)', { authorization: `Bearer ${backend.token}` }],
    ];
    for (const [label, headers] of cases) {
      const before = cpu.threadCpuMs();
      const result = await runLoad({
        host: '127.0.0.1',
        port,
        path: '/api/aiops-ingest/alerts/alertmanager',
        headers,
        format: 'webhook',
        acceptedFromBody: true,
        batchSize: 1,
        mode: 'closed',
        concurrency: 16,
        warmupMs: 1000,
        durationMs: 4000,
        seed: label.length,
        prefix: `overhead-${Date.now()}-${label.length}`,
      });
      const after = cpu.threadCpuMs();
      const requests = result.requests + result.warmupRequests;
      const cpuMs = after.user + after.system - before.user - before.system;
      console.log(
        `${label.padEnd(15)} ${Math.round(
          result.requests / result.seconds,
        )} requests/s, ` +
          `backend thread ${(cpuMs / requests).toFixed(
            2,
          )} ms CPU per request, ` +
          `p50 ${result.latencyMs.p50?.toFixed(1)} ms`,
      );
    }
  } finally {
    await backend.stop();
  }
  process.exit(0);
})().catch(error => {
  console.error(error);
  process.exit(1);
});
