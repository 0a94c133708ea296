import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  CatalogEntitySummary,
  MetricsProvider,
} from '@aiops/plugin-aiops-node';
import { readRegressionConfig } from '../config';
import { DatabaseRegressionStore } from '../database/DatabaseRegressionStore';
import { DetectionRunner } from './DetectionRunner';

const MINUTE = 60_000;
const NOW = Date.parse('2026-12-03T12:00:00.000Z');
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const entity = (
  name: string,
  annotations: Record<string, string> = {},
): CatalogEntitySummary => ({
  entityRef: `component:default/${name}`,
  kind: 'component',
  namespace: 'default',
  name,
  annotations,
  dependsOn: [],
  dependencyOf: [],
  providesApis: [],
  consumesApis: [],
});

/** A provider as a module would add one: latency of every entity, broken for `broken`. */
const latencyProvider: MetricsProvider = {
  id: 'test',
  supports: async (_ref, metric) => metric === 'latency_p99_ms',
  async query(q) {
    if (q.entityRef.endsWith('/broken')) throw new Error('connection refused');
    const points = [];
    for (let at = q.from; at < q.to; at += q.stepMs) {
      const i = (at - q.from) / q.stepMs;
      // Steps from 100 to 200 ms two hours before now, with a little wobble.
      // The `recovered` service came back an hour ago.
      const back =
        q.entityRef.endsWith('/recovered') && at >= NOW - 60 * MINUTE;
      points.push({
        at,
        value: (at < NOW - 120 * MINUTE || back ? 100 : 200) + (i % 4),
      });
    }
    return { entityRef: q.entityRef, metric: q.metric, points };
  },
};

describe('DetectionRunner', () => {
  async function setUp(
    deployments: () => Promise<never[]>,
    entities: CatalogEntitySummary[],
  ) {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseRegressionStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const config = readRegressionConfig(
      new ConfigReader({
        aiops: {
          regression: {
            window: 'PT6H',
            metrics: ['latency_p99_ms', 'error_rate'],
            drift: { enabled: false },
          },
        },
      }),
    );
    const published: string[] = [];
    return {
      store,
      published,
      runner: new DetectionRunner({
        store,
        providers: [latencyProvider],
        entities: async () => entities,
        deployments,
        publish: async r => {
          published.push(`${r.entityRef} ${r.metric} ${r.method}`);
        },
        config,
        logger: mockServices.logger.mock(),
        now: () => NOW,
      }),
    };
  }

  const fourEntities = (deployments: () => Promise<never[]>) =>
    setUp(deployments, [
      entity('cart'),
      entity('broken'),
      entity('odd', { 'aiops/regression-metrics': 'queue_depth' }),
      { ...entity('db'), kind: 'resource' },
    ]);

  it('records a failing query, a metric no provider has and an unknown annotated metric per entity, and scans the others', async () => {
    const { runner, store, published } = await fourEntities(async () => []);
    expect(await runner.run()).toEqual({ entities: 3, raised: 1, failed: 3 });
    expect(published).toEqual([
      'component:default/cart latency_p99_ms e-divisive-t@1',
    ]);
    const runs = await store.runs();
    expect(runs.map(r => [r.entityRef, r.failures])).toEqual([
      [
        'component:default/broken',
        [
          { metric: 'latency_p99_ms', reason: 'connection refused' },
          {
            metric: 'error_rate',
            reason: 'no metrics provider has error_rate',
          },
        ],
      ],
      [
        'component:default/cart',
        [
          {
            metric: 'error_rate',
            reason: 'no metrics provider has error_rate',
          },
        ],
      ],
      [
        'component:default/odd',
        [
          {
            metric: 'queue_depth',
            reason: 'unknown metric in aiops/regression-metrics',
          },
        ],
      ],
    ]);
  });

  it('resolves a regression whose metric came back, on the next run', async () => {
    const { runner, store } = await setUp(
      async () => [],
      [entity('recovered')],
    );
    await runner.run();
    const [raised] = await store.list({});
    expect(raised).toMatchObject({
      metric: 'latency_p99_ms',
      status: 'active',
    });
    await runner.run();
    expect(await store.list({})).toEqual([
      expect.objectContaining({
        id: raised.id,
        status: 'resolved',
        statusBy: 'aiops-regression',
      }),
    ]);
  });

  it('scans without deploy markers when the deployments cannot be read, and says so', async () => {
    const { runner, store } = await fourEntities(async () => {
      throw new Error('ingest is down');
    });
    expect(await runner.run()).toMatchObject({ raised: 1 });
    const [, cart] = await store.runs();
    expect(cart.failures[0]).toEqual({
      metric: '*',
      reason: 'deployments could not be read: ingest is down',
    });
  });
});
