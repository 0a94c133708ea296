/* eslint-disable jest/expect-expect -- fc.assert throws, with the counterexample, when a case fails */
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import type { Knex } from 'knex';
import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { service, startIngest } from './__testUtils__/startIngest';
import {
  bodiesLike,
  fixture,
  fuzzRuns,
  fuzzTimeoutMs,
  hostileValue,
} from './__testUtils__/fuzz';

/**
 * Every receiver through the real plugin, on SQLite and (when configured) PostgreSQL, which
 * unlike SQLite enforces column lengths and refuses NUL in text: mutated and random bodies
 * never answer 5xx; a refused request writes nothing (row counts, feed counters and summed
 * counts unchanged); an accepted one is stored as its receipt says. The read APIs' query
 * strings never answer 5xx either. The parsers alone: service/parsers.fuzz.test.ts.
 */

const RUNS = fuzzRuns(100);
jest.setTimeout(fuzzTimeoutMs(RUNS, 200));

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const GITHUB_SECRET = 'github-fuzz-secret';

function fixtures(
  dir: string,
  prefix = '',
): Array<{ name: string; body: unknown }> {
  return readdirSync(resolve(__dirname, '../fixtures', dir))
    .filter(name => name.endsWith('.json') && name.startsWith(prefix))
    .map(name => ({ name, body: fixture(`${dir}/${name}`) }));
}
const bodiesOf = (dir: string, prefix = '') =>
  bodiesLike(fixtures(dir, prefix).map(f => f.body));

type Receipt = 'alerts' | 'deployments' | 'telemetry';

interface Receiver {
  name: string;
  receipt: Receipt;
  /** A request: path, body and headers beyond the credentials. */
  request: fc.Arbitrary<{
    path: string;
    body: unknown;
    headers: Record<string, string>;
  }>;
}

const plain = (path: string | string[], bodies: fc.Arbitrary<unknown>) =>
  fc.record({
    path: fc.constantFrom(...[path].flat()),
    body: bodies,
    headers: fc.constant({}),
  });

const RECEIVERS: Receiver[] = [
  {
    name: 'Alertmanager',
    receipt: 'alerts',
    request: plain('/alerts/alertmanager', bodiesOf('alerts', 'alertmanager-')),
  },
  {
    name: 'Grafana',
    receipt: 'alerts',
    request: plain('/alerts/grafana', bodiesOf('alerts', 'grafana-')),
  },
  {
    name: 'generic alerts',
    receipt: 'alerts',
    request: plain('/alerts', bodiesOf('alerts', 'generic-')),
  },
  {
    name: 'generic deployments',
    receipt: 'deployments',
    request: plain('/deployments', bodiesOf('deployments/generic')),
  },
  {
    name: 'PagerDuty change events',
    receipt: 'deployments',
    request: plain(
      ['/changes/pagerduty', '/v2/change/enqueue'],
      bodiesOf('deployments/pagerduty'),
    ),
  },
  {
    name: 'CDEvents',
    receipt: 'deployments',
    request: fc.record({
      path: fc.constant('/deployments/cdevents'),
      body: bodiesOf('deployments/cdevents'),
      headers: fc
        .constantFrom(
          'application/json',
          'application/cloudevents+json',
          'application/cloudevents-batch+json',
        )
        .map(type => ({ 'content-type': type })),
    }),
  },
  {
    name: 'Argo CD',
    receipt: 'deployments',
    request: plain(
      '/deployments/argocd',
      bodiesOf('deployments/argocd', 'notification.'),
    ),
  },
  {
    name: 'GitHub',
    receipt: 'deployments',
    // Signed with the configured secret, so the fuzzed body reaches the parser.
    request: fc
      .record({
        body: bodiesOf('deployments/github'),
        event: fc.constantFrom('deployment', 'deployment_status', 'ping'),
      })
      .map(({ body, event }) => ({
        path: '/deployments/github',
        body,
        headers: {
          'x-github-event': event,
          'x-hub-signature-256': `sha256=${createHmac('sha256', GITHUB_SECRET)
            .update(JSON.stringify(body))
            .digest('hex')}`,
        },
      })),
  },
  {
    name: 'OTLP metrics',
    receipt: 'telemetry',
    request: plain('/otlp/v1/metrics', bodiesOf('otlp', 'metrics-')),
  },
  {
    name: 'OTLP logs',
    receipt: 'telemetry',
    request: plain('/otlp/v1/logs', bodiesOf('otlp', 'logs')),
  },
  {
    name: 'OTLP traces',
    receipt: 'telemetry',
    request: plain('/otlp/v1/traces', bodiesOf('otlp', 'traces')),
  },
];

/** What any write changes: row counts, the feeds' sequence counters, and summed counts. */
async function snapshot(db: Knex): Promise<Record<string, number>> {
  const count = (table: string) => db(table).count({ n: '*' });
  const sum = (table: string, column: string) =>
    db(table).select(db.raw('coalesce(sum(??), 0)', [column]));
  const [row] = await db.select({
    alerts: count('alerts'),
    alertDeliveries: sum('alerts', 'delivery_count'),
    deployments: count('deployments'),
    feeds: sum('feed_counters', 'value'),
    rollups: count('metric_rollups'),
    rollupCounts: sum('metric_rollups', 'count'),
    buckets: count('metric_rollup_buckets'),
    bucketCounts: sum('metric_rollup_buckets', 'count'),
    exemplars: count('telemetry_exemplars'),
    edges: count('call_edges'),
    edgeCounts: sum('call_edges', 'count'),
  });
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, Number(value)]),
  );
}

/** A 4xx with an error message, and not a row, counter or count changed. */
function expectRefusalWroteNothing(
  res: request.Response,
  before: Record<string, number>,
  after: Record<string, number>,
) {
  expect(res.status).toBeLessThan(500);
  expect(typeof res.body.error?.message).toBe('string');
  expect(after).toEqual(before);
}

/** The receipt's items are stored under their ids, as acknowledged. */
async function expectStoredAsAcknowledged(
  db: Knex,
  receipt: Receipt,
  body: any,
  before: Record<string, number>,
  after: Record<string, number>,
) {
  if (receipt === 'telemetry') {
    expect(after.exemplars - before.exemplars).toBe(body.exemplars);
    expect(after.rollups - before.rollups).toBeLessThanOrEqual(body.rollups);
    expect(after.edges - before.edges).toBeLessThanOrEqual(body.edges);
    if (body.rollups === 0)
      expect(after.rollupCounts).toBe(before.rollupCounts);
    if (body.edges === 0) expect(after.edgeCounts).toBe(before.edgeCounts);
    return;
  }
  const items: Array<Record<string, string>> = body[receipt] ?? [];
  expect(body.accepted).toBe(items.length);
  const created = new Set(
    items.filter(item => item.change === 'created').map(item => item.id),
  );
  expect(after[receipt] - before[receipt]).toBe(created.size);
  if (items.length === 0) {
    expect(after).toEqual(before);
    return;
  }
  const rows = await db(receipt).whereIn('id', [
    ...new Set(items.map(item => item.id)),
  ]);
  const byId = new Map(rows.map(row => [row.id, row]));
  // Later items of one request may update an earlier one: the last word is stored.
  const last = new Map(items.map(item => [item.id, item]));
  for (const item of last.values()) {
    const row = byId.get(item.id);
    expect(row).toBeDefined();
    expect(row.status).toBe(item.status);
    expect(row.entity_ref ?? undefined).toBe(item.entityRef);
    if (receipt === 'alerts') expect(row.fingerprint).toBe(item.fingerprint);
  }
}

async function startOn(databaseId: Parameters<typeof databases.init>[0]) {
  const db = await databases.init(databaseId);
  const { server } = await startIngest(
    { github: { webhookSecret: GITHUB_SECRET } },
    {},
    [
      createServiceFactory({
        service: coreServices.database,
        deps: {},
        factory: () => ({ getClient: async () => db }),
      }),
    ],
  );
  return { db, server };
}

describe.each(databases.eachSupportedId())('receivers on %s', databaseId => {
  let db: Knex;
  let server: Server;
  beforeAll(async () => {
    ({ db, server } = await startOn(databaseId));
  });

  it.each(RECEIVERS.map(r => [r.name, r] as const))(
    '%s: no 5xx; a refusal writes nothing, an acceptance is stored as acknowledged',
    async (_name, receiver) => {
      await fc.assert(
        fc.asyncProperty(receiver.request, async ({ path, body, headers }) => {
          const before = await snapshot(db);
          const res = await request(server)
            .post(`/api/aiops-ingest${path}`)
            .set('authorization', service)
            .set('content-type', 'application/json')
            .set(headers)
            .send(JSON.stringify(body));
          const after = await snapshot(db);
          if (res.status >= 400) {
            expectRefusalWroteNothing(res, before, after);
          } else {
            await expectStoredAsAcknowledged(
              db,
              receiver.receipt,
              res.body,
              before,
              after,
            );
          }
        }),
        { numRuns: RUNS, timeout: 30_000 },
      );
    },
  );

  /** `?a=1&a=2`, `a[b]=c`, encoded and raw commas: what a URL can carry to the read APIs. */
  const queryString = fc
    .array(
      fc.tuple(
        fc.constantFrom(
          'entityRef',
          'from',
          'to',
          'step',
          'limit',
          'cursor',
          'after',
          'status',
          'unowned',
          'environment',
          'metric',
          'id',
          'entityRef[kind]',
          'limit[]',
        ),
        fc.oneof(
          hostileValue.map(value =>
            typeof value === 'string' ? value : JSON.stringify(value),
          ),
          fc.constantFrom(
            'component:default/cart',
            '2026-11-25T08:00:00Z',
            '+275760-09-13T00:00:00.000Z',
            '-271821-04-20T00:00:00Z',
            '999999999999999',
            '60',
            '1000',
          ),
        ),
        fc.boolean(),
      ),
      { maxLength: 5 },
    )
    .map(parameters =>
      parameters
        .map(
          ([name, value, raw]) =>
            `${name}=${
              raw ? value.replace(/[&#%\s]/g, '') : encodeURIComponent(value)
            }`,
        )
        .join('&'),
    );

  it('read APIs: no 5xx for any query string', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/alerts',
          '/deployments',
          '/series',
          '/exemplars',
          '/topology',
        ),
        queryString,
        async (path, query) => {
          const res = await request(server)
            .get(`/api/aiops-ingest${path}?${query}`)
            .set('authorization', service);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS, timeout: 30_000 },
    );
  });
});
