'use strict';

/**
 * `--profile`: wall-clock time of the stages of an alert request inside the backend, by
 * wrapping prototypes at run time (the plugin's code is not changed):
 *
 * - request: from the HTTP request event to the response's `finish`, for the receiver route;
 * - handler: IngestService.receiveGenericAlerts (keying + store + announcing);
 * - keying: EntityResolver.resolve, summed per call;
 * - store: DatabaseIngestStore.recordAlerts, the whole transaction (with group commit, one
 *   transaction carries the alerts of several requests: see `alerts per transaction`);
 * - publish / announce: announcing the committed changes on the events service;
 * - pool wait: knex acquiring a connection from its pool;
 * - sql <statement>: each statement's round trip, by kind (BEGIN, the feed counter UPDATE that
 *   takes the row lock, SELECTs, the upsert, COMMIT).
 *
 * The request time minus the handler time is what happens before and after it: reading and
 * parsing the body, the OpenAPI validator, authentication, webhook parsing, writing the answer.
 * Under concurrency these are wall times, including waiting for the event loop or a lock.
 */

const http = require('node:http');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const RECEIVER_PATH = '/api/aiops-ingest/alerts/alertmanager';

let stats = new Map();

function record(name, ms) {
  let s = stats.get(name);
  if (!s) stats.set(name, (s = { count: 0, totalMs: 0, samples: [] }));
  s.count += 1;
  s.totalMs += ms;
  if (s.samples.length < 200_000) s.samples.push(ms);
}

/** Wraps a method to time it; a method the code no longer has is skipped (returns false). */
function wrapAsync(proto, method, name) {
  const original = proto[method];
  if (typeof original !== 'function') return false;
  proto[method] = function profiled(...args) {
    const t0 = performance.now();
    const result = original.apply(this, args);
    if (result && typeof result.then === 'function') {
      return result.then(
        value => {
          record(
            typeof name === 'function' ? name(args) : name,
            performance.now() - t0,
          );
          return value;
        },
        error => {
          record(
            `${typeof name === 'function' ? name(args) : name} (failed)`,
            performance.now() - t0,
          );
          throw error;
        },
      );
    }
    record(
      typeof name === 'function' ? name(args) : name,
      performance.now() - t0,
    );
    return result;
  };
}

function statementKind(query) {
  const sql = (typeof query === 'string' ? query : query?.sql ?? '')
    .trim()
    .replace(/\s+/g, ' ');
  const lower = sql.toLowerCase();
  if (/^(begin|start transaction)/.test(lower)) return 'BEGIN';
  if (/^commit/.test(lower)) return 'COMMIT';
  if (/^rollback/.test(lower)) return 'ROLLBACK';
  const table =
    lower.match(/(?:update|into|from)\s+[`"]?([a-z_]+)/)?.[1] ?? '?';
  const verb = lower.split(' ')[0];
  return `${verb} ${table}`;
}

function install() {
  // The knex that Backstage's database manager creates clients with.
  const knexDir = path.dirname(
    require.resolve('knex/package.json', {
      paths: [
        path.dirname(
          require.resolve('@backstage/backend-defaults/package.json'),
        ),
      ],
    }),
  );
  const KnexClient = require(path.join(knexDir, 'lib', 'client.js'));
  wrapAsync(
    KnexClient.prototype,
    'query',
    args => `sql ${statementKind(args[1])}`,
  );
  wrapAsync(KnexClient.prototype, 'acquireConnection', 'pool wait');

  const src = p => path.join(ROOT, 'plugins', p);
  const { IngestService } = require(src(
    'aiops-ingest-backend/src/service/IngestService.ts',
  ));
  const { DatabaseIngestStore } = require(src(
    'aiops-ingest-backend/src/database/DatabaseIngestStore.ts',
  ));
  const { CatalogEntityResolver } = require(src(
    'aiops-node/src/keying/EntityResolver.ts',
  ));
  wrapAsync(IngestService.prototype, 'receiveGenericAlerts', 'handler');
  // Announcing: awaited per alert in older versions (publishAlerts), fire-and-forget after
  // acknowledging in newer ones (announce).
  wrapAsync(IngestService.prototype, 'publishAlerts', 'publish');
  wrapAsync(
    IngestService.prototype,
    'announce',
    'announce (starts publishing)',
  );
  wrapAsync(
    DatabaseIngestStore.prototype,
    'recordAlerts',
    'store (one transaction)',
  );
  // How many alerts each transaction carries (a count, not ms): more than the batch size of a
  // request means group commit merged requests.
  const recordAlerts = DatabaseIngestStore.prototype.recordAlerts;
  DatabaseIngestStore.prototype.recordAlerts = function counted(
    deliveries,
    ...rest
  ) {
    record('alerts per transaction (count)', deliveries.length);
    return recordAlerts.call(this, deliveries, ...rest);
  };
  wrapAsync(
    CatalogEntityResolver.prototype,
    'resolve',
    'keying (per alert; calls overlap)',
  );

  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function profiledEmit(event, req, res) {
    if (event === 'request' && req.url?.startsWith(RECEIVER_PATH)) {
      const t0 = performance.now();
      res.once('finish', () => record('request', performance.now() - t0));
    }
    return emit.apply(this, arguments);
  };

  return {
    reset() {
      stats = new Map();
    },
    report() {
      const requests = stats.get('request')?.count ?? 0;
      const out = {};
      for (const [name, s] of [...stats].sort(
        (a, b) => b[1].totalMs - a[1].totalMs,
      )) {
        const sorted = Float64Array.from(s.samples).sort();
        const q = p =>
          sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
        out[name] = {
          count: s.count,
          meanMs: s.totalMs / s.count,
          p50Ms: q(0.5),
          p99Ms: q(0.99),
          // Wall time of this stage per receiver request, on average.
          perRequestMs: requests ? s.totalMs / requests : undefined,
        };
      }
      return out;
    },
  };
}

module.exports = { install };
