import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { Deployment } from '@aiops/plugin-aiops-common';
import type { CatalogEntitySummary } from '@aiops/plugin-aiops-node';
import { ConfigReader } from '@backstage/config';
import {
  hasPrometheus,
  requestHistogram,
  startPrometheus,
  type RunningPrometheus,
} from '../__testUtils__/prometheus';
import { readRegressionConfig } from '../config';
import { DatabaseRegressionStore } from '../database/DatabaseRegressionStore';
import type { StoredRegression } from '../database/RegressionStore';
import { DetectionRunner } from '../detection/DetectionRunner';
import { PrometheusMetricsProvider } from './PrometheusMetricsProvider';

jest.setTimeout(60_000);

const MINUTE = 60_000;
// Six hours of minutes ending at the last whole minute; the cart got slow at minute 240.
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const FROM = NOW - 360 * MINUTE;
const CHANGE = FROM + 240 * MINUTE;

const cart: CatalogEntitySummary = {
  entityRef: 'component:default/cart',
  kind: 'component',
  namespace: 'default',
  name: 'cart',
  owner: 'group:default/cart-team',
  annotations: { 'prometheus.io/service-name': 'cartservice' },
  dependsOn: [],
  dependencyOf: [],
  providesApis: [],
  consumesApis: [],
};
const ad: CatalogEntitySummary = {
  ...cart,
  entityRef: 'component:default/ad',
  name: 'ad',
  // Not the configured annotation: the suite's own service-name annotation is the fallback.
  annotations: { 'aiops/service-name': 'adservice' },
};

// Debian's prometheus package; CI installs it (.ci/run). Elsewhere the suite says it skipped.
const available = hasPrometheus();
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('Prometheus provider on a real Prometheus', () => {
  let prometheus: RunningPrometheus | undefined;

  beforeAll(async () => {
    if (!(await available)) {
      if (process.env.CI)
        throw new Error('prometheus/promtool are not installed');
      return;
    }
    prometheus = await startPrometheus([
      requestHistogram({
        job: 'cartservice',
        from: FROM,
        minutes: 361,
        rps: 20,
        latencySeconds: i => (i < 240 ? 0.05 : 0.3),
      }),
      {
        family: 'process_resident_memory_bytes',
        type: 'gauge',
        series: [
          {
            name: 'process_resident_memory_bytes',
            labels: { job: 'cartservice' },
            samples: Array.from({ length: 361 }, (_, i) => ({
              at: FROM + i * MINUTE,
              value: 100e6 + (i % 7) * 1e6,
            })),
          },
          {
            name: 'process_resident_memory_bytes',
            labels: { job: 'adservice', instance: 'a' },
            samples: Array.from({ length: 361 }, (_, i) => ({
              at: FROM + i * MINUTE,
              value: 1,
            })),
          },
          {
            name: 'process_resident_memory_bytes',
            labels: { job: 'adservice', instance: 'b' },
            samples: Array.from({ length: 361 }, (_, i) => ({
              at: FROM + i * MINUTE,
              value: 1,
            })),
          },
        ],
      },
    ]);
  });
  afterAll(() => prometheus?.stop());

  const config = (queries: Record<string, string> = {}) =>
    readRegressionConfig(
      new ConfigReader({
        aiops: {
          regression: {
            providers: ['prometheus'],
            drift: { enabled: false },
            prometheus: { baseUrl: prometheus!.baseUrl, queries },
          },
        },
      }),
    );
  const provider = (queries?: Record<string, string>) =>
    new PrometheusMetricsProvider({
      config: config(queries).prometheus!,
      entity: async ref => [cart, ad].find(e => e.entityRef === ref),
    });
  const query = (metric: string, entityRef = cart.entityRef) => ({
    entityRef,
    metric,
    from: FROM + 10 * MINUTE,
    to: NOW,
    stepMs: MINUTE,
  });

  it('reads p99 latency with the default template and the service annotation', async () => {
    if (!prometheus) return;
    const series = await provider().query(query('latency_p99_ms'));
    const points = series!.points;
    expect(points.length).toBeGreaterThan(300);
    // histogram_quantile interpolates in the bucket: 0.99 of (0, 0.1] s, then of (0.25, 0.5] s.
    expect(points[0]).toEqual({
      at: FROM + 10 * MINUTE,
      value: expect.closeTo(99, 6),
    });
    expect(points[points.length - 1].value).toBeCloseTo(497.5, 6);
    expect(await provider().supports(cart.entityRef, 'latency_p99_ms')).toBe(
      true,
    );
  });

  it('answers no points for a service Prometheus does not have', async () => {
    if (!prometheus) return;
    const series = await provider().query(
      query('latency_p99_ms', 'component:default/nothing'),
    );
    expect(series?.points).toEqual([]);
  });

  it('refuses a query that returns several series, and passes on what Prometheus refused', async () => {
    if (!prometheus) return;
    await expect(
      provider({
        memory_bytes: 'process_resident_memory_bytes{job="adservice"}',
      }).query({
        ...query('memory_bytes', ad.entityRef),
      }),
    ).rejects.toThrow('the query for memory_bytes returned 2 series');
    await expect(
      provider({ memory_bytes: 'sum(rate(x[5m]' }).query(query('memory_bytes')),
    ).rejects.toThrow(
      /Prometheus refused the query for memory_bytes \(400 bad_data\)/,
    );
  });

  it('a full detection run finds the latency step, names the deploy, and records what it could not read', async () => {
    if (!prometheus) return;
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseRegressionStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const published: StoredRegression[] = [];
    const deploy = {
      id: 'deploy-cart-2',
      status: 'succeeded',
      startedAt: new Date(CHANGE - 3 * MINUTE).toISOString(),
      finishedAt: new Date(CHANGE - 1 * MINUTE).toISOString(),
      resolution: {
        status: 'resolved',
        entityRef: cart.entityRef,
        matchedBy: 'test',
      },
    } as Deployment;
    const runner = new DetectionRunner({
      store,
      providers: [provider()],
      entities: async () => [
        cart,
        ad,
        { ...cart, entityRef: 'resource:default/db', kind: 'resource' },
      ],
      deployments: async refs =>
        refs.includes(cart.entityRef) ? [deploy] : [],
      publish: async r => {
        published.push(r);
      },
      config: { ...config(), windowMs: 6 * 60 * MINUTE },
      logger: mockServices.logger.mock(),
      now: () => NOW,
    });

    expect(await runner.run()).toEqual({ entities: 2, raised: 2, failed: 2 });
    // p95 and p99 both read the histogram, and both stepped.
    expect(published.map(r => r.metric).sort()).toEqual([
      'latency_p95_ms',
      'latency_p99_ms',
    ]);
    const latency = published.find(r => r.metric === 'latency_p99_ms')!;
    expect(latency).toMatchObject({
      entityRef: cart.entityRef,
      metric: 'latency_p99_ms',
      direction: 'increase',
      method: 'welch-mann-whitney-holm@1',
      deploymentId: 'deploy-cart-2',
      status: 'active',
    });
    expect(latency.after.mean / latency.before.mean).toBeGreaterThan(3);

    const runs = await store.runs();
    const cartRun = runs.find(r => r.entityRef === cart.entityRef)!;
    expect(cartRun.regressionsRaised).toBe(2);
    // Latency, error rate, throughput and memory have data; no CPU series was written.
    expect(cartRun.failures).toEqual([
      { metric: 'cpu_utilization', reason: 'no data in the window' },
    ]);
    // The ad service has only memory (summed over its two instances by the default template).
    const adRun = runs.find(r => r.entityRef === ad.entityRef)!;
    expect(adRun.failures).toEqual(
      [
        'latency_p95_ms',
        'latency_p99_ms',
        'error_rate',
        'throughput_rps',
        'cpu_utilization',
      ].map(metric => ({ metric, reason: 'no data in the window' })),
    );

    // The next run finds the same change and raises nothing new.
    expect(await runner.run()).toMatchObject({ raised: 0 });
    expect(await store.list({})).toHaveLength(2);
  });
});
