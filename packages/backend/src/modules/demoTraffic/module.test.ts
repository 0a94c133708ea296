import path from 'node:path';
import request from 'supertest';
import {
  coreServices,
  createBackendModule,
  type AuthService,
  type DiscoveryService,
  type LoggerService,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import catalogBackend from '@backstage/plugin-catalog-backend';
import aiopsIngest from '@aiops/plugin-aiops-ingest-backend';
import {
  DEMO_TRAFFIC_TASK_ID,
  demoTrafficModule,
  readDemoTrafficConfig,
} from './module';
import { DemoTrafficSender } from './sender';
import { SERVICES } from './services';
import { MINUTE_MS } from './storyline';

const repoRoot = path.resolve(__dirname, '../../../../..');
const service = mockCredentials.service.header();

interface Captured {
  discovery?: DiscoveryService;
  auth?: AuthService;
  logger?: LoggerService;
  scheduler?: SchedulerService;
}

/**
 * Hands the test the plugin's services: its real discovery and auth, to send ticks at chosen
 * times, and its (mock) scheduler, to see and run the module's task.
 */
function captureServices(into: Captured) {
  return createBackendModule({
    pluginId: 'aiops-ingest',
    moduleId: 'demo-traffic-test-capture',
    register(reg) {
      reg.registerInit({
        deps: {
          discovery: coreServices.discovery,
          auth: coreServices.auth,
          logger: coreServices.logger,
          scheduler: coreServices.scheduler,
        },
        async init(deps) {
          Object.assign(into, deps);
        },
      });
    },
  });
}

async function eventually<T>(
  fn: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }
}

const config = (demo?: object) =>
  mockServices.rootConfig.factory({
    data: {
      catalog: {
        processingInterval: { seconds: 1 },
        stitchingStrategy: { mode: 'immediate' },
        rules: [
          {
            allow: [
              'Component',
              'System',
              'API',
              'Resource',
              'Location',
              'Domain',
            ],
          },
        ],
        locations: [
          {
            type: 'file',
            target: path.join(repoRoot, 'examples/entities.yaml'),
          },
        ],
      },
      aiops: { ...(demo && { demo }) },
    },
  });

describe('demo traffic module', () => {
  jest.setTimeout(120_000);

  it('reads its config: off by default, 30 s ticks after 20 s', () => {
    expect(readDemoTrafficConfig(new ConfigReader({}))).toMatchObject({
      enabled: false,
      intervalMs: 30_000,
      initialDelayMs: 20_000,
      history: true,
    });
    expect(
      readDemoTrafficConfig(
        new ConfigReader({
          aiops: {
            demo: {
              enabled: true,
              interval: 'PT1M',
              initialDelay: { seconds: 5 },
              seed: 7,
            },
          },
        }),
      ),
    ).toMatchObject({
      enabled: true,
      intervalMs: 60_000,
      initialDelayMs: 5_000,
      seed: 7,
    });
    expect(() =>
      readDemoTrafficConfig(
        new ConfigReader({ aiops: { demo: { interval: 'PT0S' } } }),
      ),
    ).toThrow(/aiops\.demo\.interval must be a positive duration/);
  });

  it('schedules nothing unless aiops.demo.enabled is true', async () => {
    const captured: Captured = {};
    await startTestBackend({
      features: [
        aiopsIngest,
        demoTrafficModule,
        captureServices(captured),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        config(),
      ],
    });
    const tasks = await captured.scheduler!.getScheduledTasks();
    expect(tasks.map(t => t.id)).not.toContain(DEMO_TRAFFIC_TASK_ID);
    expect(tasks.map(t => t.id)).toContain('aiops-ingest-retention');
  });

  it('logs and carries on when the ingest API cannot be reached', async () => {
    const logger = mockServices.logger.mock();
    const sender = new DemoTrafficSender({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => 'http://127.0.0.1:9/api/aiops-ingest',
      }),
      auth: mockServices.auth(),
      logger,
      seed: 1,
      origin: Date.now() - 5 * MINUTE_MS,
      intervalMs: 30_000,
      requestTimeoutMs: 2_000,
    });
    const report = await sender.sendTick(new Date());
    expect(report.sent).toBe(0);
    expect(report.failed.length).toBeGreaterThan(3);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Demo traffic: \d+ of \d+ requests failed/),
    );

    const rejecting = new DemoTrafficSender({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => 'http://ingest',
      }),
      auth: mockServices.auth(),
      logger,
      seed: 1,
      origin: Date.now(),
      intervalMs: 30_000,
      fetch: async () =>
        new Response('{"error":{"message":"down"}}', { status: 503 }),
    });
    await expect(rejecting.sendTick()).resolves.toMatchObject({
      sent: 0,
      failed: expect.arrayContaining([
        { path: '/otlp/v1/traces', error: expect.stringContaining('HTTP 503') },
      ]),
    });
  });

  it('sends the storyline through the real ingest API, keyed to the demo catalog', async () => {
    const captured: Captured = {};
    const { server } = await startTestBackend({
      features: [
        catalogBackend,
        aiopsIngest,
        demoTrafficModule,
        captureServices(captured),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        config({
          enabled: true,
          interval: 'PT30S',
          initialDelay: 'PT20S',
          // The history needs correlation; history.test.ts plays it.
          history: false,
        }),
      ],
    });
    const get = async (route: string, query: Record<string, string> = {}) => {
      const res = await request(server)
        .get(route)
        .query(query)
        .set('authorization', service);
      expect(res.status).toBe(200);
      return res.body;
    };

    // The whole demo catalog is loaded before the first signal keys against it.
    const refs = Object.values(SERVICES).map(s => s.entityRef);
    const entities = await eventually(async () => {
      const res = await request(server)
        .post('/api/catalog/entities/by-refs')
        .set('authorization', service)
        .send({ entityRefs: refs });
      expect(res.body.items.every((item: unknown) => item !== null)).toBe(true);
      return res.body.items as Array<{
        kind: string;
        metadata: { name: string };
        relations?: Array<{ type: string; targetRef: string }>;
      }>;
    });

    // The module's own task: the scheduler runs it as it would every 30 s.
    const scheduler = captured.scheduler!;
    const task = (await scheduler.getScheduledTasks()).find(
      t => t.id === DEMO_TRAFFIC_TASK_ID,
    );
    expect(task).toMatchObject({ scope: 'local' });
    await scheduler.triggerTask(DEMO_TRAFFIC_TASK_ID);
    const live = await get('/api/aiops-ingest/topology');
    expect(live.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          caller: 'component:default/frontend',
          callee: 'component:default/cart',
        }),
      ]),
    );

    // A whole storyline cycle, replayed in the last 17 minutes with the plugin's real credentials.
    const origin = Date.now() - 17 * MINUTE_MS;
    const sender = new DemoTrafficSender({
      discovery: captured.discovery!,
      auth: captured.auth!,
      logger: captured.logger!,
      seed: 3,
      origin,
      intervalMs: 30_000,
    });
    for (const minutes of [0.5, 1.5, 3.25, 5, 6, 8.5, 9.75, 12.5, 14, 16.5]) {
      const report = await sender.sendTick(
        new Date(origin + minutes * MINUTE_MS),
      );
      expect(report.failed).toEqual([]);
    }

    const alerts: Array<{
      title: string;
      status: string;
      source: string;
      startsAt: string;
      resolution: { status: string; entityRef?: string };
    }> = (await get('/api/aiops-ingest/alerts', { limit: '100' })).items;
    const byTitle = Object.fromEntries(alerts.map(a => [a.title, a]));
    expect(byTitle.RedisCartLatencyHigh).toMatchObject({
      source: 'alertmanager',
      status: 'resolved',
      resolution: {
        status: 'resolved',
        entityRef: 'resource:default/redis-cart',
      },
    });
    expect(byTitle.CartErrorRate).toMatchObject({
      status: 'resolved',
      resolution: { entityRef: 'component:default/cart' },
    });
    expect(byTitle.CheckoutErrorRate).toMatchObject({
      status: 'resolved',
      resolution: { entityRef: 'component:default/checkout' },
    });
    expect(byTitle.FrontendHighLatency).toMatchObject({
      status: 'resolved',
      resolution: { entityRef: 'component:default/frontend' },
    });
    const disk = alerts.find(a => a.source === 'generic')!;
    expect(disk).toMatchObject({
      status: 'resolved',
      title: expect.stringMatching(/^Disk \d+% full on ledger-db-0/),
      resolution: { entityRef: 'resource:default/ledger-db' },
    });

    // The hardware alert is the only one that keys to nothing.
    const unowned = (await get('/api/aiops-ingest/alerts', { unowned: 'true' }))
      .items;
    expect(unowned.map((a: { title: string }) => a.title)).toEqual([
      'FanSpeedLow',
    ]);

    const cartAlerts = (
      await get('/api/aiops-ingest/alerts', {
        entityRef: 'component:default/cart',
      })
    ).items;
    expect(cartAlerts.map((a: { title: string }) => a.title)).toEqual([
      'CartErrorRate',
    ]);

    // (The module's own tick above may have started a deployment of its own; leave it out.)
    const deployments = (
      await get('/api/aiops-ingest/deployments', {
        entityRef: 'component:default/cart',
      })
    ).items.filter(
      (d: { startedAt: string }) =>
        Date.parse(d.startedAt) < origin + 10 * MINUTE_MS,
    );
    expect(deployments).toHaveLength(2);
    const [rollback, release] = deployments.sort(
      (a: { startedAt: string }, b: { startedAt: string }) =>
        b.startedAt.localeCompare(a.startedAt),
    );
    expect(release).toMatchObject({
      status: 'rolled_back',
      resolution: { entityRef: 'component:default/cart' },
    });
    expect(rollback).toMatchObject({
      status: 'succeeded',
      version: release.previousVersion,
      previousVersion: release.version,
    });

    // The 9:40 CI change event is recorded as a change on ledger-db (what changed before its
    // disk alert), once, although the ticks at 9:45 and 12:30 both sent it.
    const ledgerChanges = (
      await get('/api/aiops-ingest/deployments', {
        entityRef: 'resource:default/ledger-db',
      })
    ).items;
    expect(ledgerChanges).toEqual([
      expect.objectContaining({
        source: 'pagerduty-change',
        status: 'succeeded',
        summary: expect.stringMatching(
          /^Deploy succeeded: ledger-db archive_command changed/,
        ),
        startedAt: new Date(origin + (9 + 40 / 60) * MINUTE_MS).toISOString(),
        resolution: expect.objectContaining({
          entityRef: 'resource:default/ledger-db',
        }),
      }),
    ]);
    expect(Date.parse(ledgerChanges[0].startedAt)).toBeLessThan(
      Date.parse(disk.startsAt),
    );

    // Observed call edges: all between catalog entities, and each one a dependsOn of the catalog.
    const { edges } = await get('/api/aiops-ingest/topology');
    const dependsOn = new Set(
      entities.flatMap(e =>
        (e.relations ?? [])
          .filter(r => r.type === 'dependsOn')
          .map(
            r =>
              `${e.kind.toLowerCase()}:default/${e.metadata.name} -> ${
                r.targetRef
              }`,
          ),
      ),
    );
    const observed = new Set<string>(
      edges.map(
        (e: { caller: string; callee: string }) => `${e.caller} -> ${e.callee}`,
      ),
    );
    expect([...observed].filter(edge => !dependsOn.has(edge))).toEqual([]);
    expect([...dependsOn].filter(edge => !observed.has(edge))).toEqual([]);
    const cartToRedis = edges.find(
      (e: { caller: string; callee: string }) =>
        e.caller === 'component:default/cart' &&
        e.callee === 'resource:default/redis-cart',
    );
    expect(cartToRedis.errorCount).toBeGreaterThan(0);

    // Per-entity rollups and exemplars from spans and logs.
    const range = {
      from: new Date(origin).toISOString(),
      to: new Date(origin + 17 * MINUTE_MS).toISOString(),
    };
    const cartErrors = await get('/api/aiops-ingest/series', {
      ...range,
      entityRef: 'component:default/cart',
      metric: 'span.errors',
    });
    expect(
      cartErrors.points.reduce(
        (sum: number, p: { count: number }) => sum + p.count,
        0,
      ),
    ).toBeGreaterThan(0);
    const diskSeries = await get('/api/aiops-ingest/series', {
      ...range,
      entityRef: 'resource:default/ledger-db',
      metric: 'system.filesystem.utilization',
    });
    expect(
      Math.max(...diskSeries.points.map((p: { max: number }) => p.max)),
    ).toBeGreaterThan(0.9);
    const exemplars = (
      await get('/api/aiops-ingest/exemplars', {
        ...range,
        entityRef: 'component:default/cart',
      })
    ).items;
    expect(exemplars).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'log',
          message: expect.stringContaining("Can't access cart storage"),
          traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
        }),
      ]),
    );
  });
});
