import path from 'node:path';
import request from 'supertest';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { backendFeatures } from './features';

const repoRoot = path.resolve(__dirname, '../../..');

const BOUTIQUE_SERVICES = [
  'ad',
  'cart',
  'checkout',
  'currency',
  'email',
  'frontend',
  'payment',
  'productcatalog',
  'recommendation',
  'shipping',
];

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
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }
}

describe('backend with the demo catalog', () => {
  jest.setTimeout(120_000);

  it('starts with the real plugin set and loads the demo organisation', async () => {
    // The real backend (not startTestBackend, whose mock HTTP router lacks the WebSocket
    // support that signals needs), authenticated like an alert sender: a static token.
    const port = 17000 + Math.floor(Math.random() * 1000);
    const token = 'demo-catalog-test-token';
    const backend = createBackend();
    for (const feature of backendFeatures) backend.add(feature);
    backend.add(mockServices.rootLogger.factory({ level: 'warn' }));
    backend.add(
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            baseUrl: `http://localhost:${port}`,
            listen: { port, host: '127.0.0.1' },
            database: { client: 'better-sqlite3', connection: ':memory:' },
            auth: {
              externalAccess: [
                { type: 'static', options: { token, subject: 'test-sender' } },
              ],
            },
          },
          permission: { enabled: true },
          // The HTTP event bus long-polls for ~1 minute, which would hold up the shutdown.
          events: { useEventBus: 'never' },
          aiops: { permissions: { admins: ['group:default/platform-team'] } },
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
                target: path.join(repoRoot, 'catalog-info.yaml'),
              },
              {
                type: 'file',
                target: path.join(repoRoot, 'examples/entities.yaml'),
              },
              {
                type: 'file',
                target: path.join(repoRoot, 'examples/org.yaml'),
                rules: [{ allow: ['User', 'Group'] }],
              },
            ],
          },
        },
      }),
    );
    await backend.start();

    const query = async (filter: string) => {
      // supertest rather than fetch: no keep-alive connections to hold up the shutdown.
      const res = await request(`http://127.0.0.1:${port}`)
        .get('/api/catalog/entities/by-query')
        .query({ filter, limit: 100 })
        .set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      return res.body.items;
    };

    try {
      const unauthenticated = await request(`http://127.0.0.1:${port}`).get(
        '/api/catalog/entities/by-query',
      );
      expect(unauthenticated.status).toBe(401);

      const components = await eventually(async () => {
        const items = await query('kind=component,spec.system=online-boutique');
        expect(items.map((e: any) => e.metadata.name).sort()).toEqual(
          BOUTIQUE_SERVICES,
        );
        return items;
      });

      const cart = components.find((e: any) => e.metadata.name === 'cart');
      expect(cart.relations).toEqual(
        expect.arrayContaining([
          { type: 'ownedBy', targetRef: 'group:default/checkout-team' },
          { type: 'dependsOn', targetRef: 'resource:default/redis-cart' },
        ]),
      );

      // The second system, and the edge that crosses into it.
      const payment = components.find(
        (e: any) => e.metadata.name === 'payment',
      );
      expect(payment.spec.dependsOn).toContain('component:payment-gateway');
      const payments = await eventually(async () => {
        const items = await query(
          'kind=component,spec.system=payments-platform',
        );
        expect(items).toHaveLength(4);
        return items;
      });
      expect(payments.map((e: any) => e.metadata.name)).toContain(
        'payment-gateway',
      );

      const groups = await eventually(async () => {
        const items = await query('kind=group');
        expect(items.length).toBeGreaterThanOrEqual(5);
        return items;
      });
      expect(groups.map((g: any) => g.metadata.name)).toEqual(
        expect.arrayContaining([
          'platform-team',
          'storefront-team',
          'checkout-team',
          'payments-team',
        ]),
      );

      // An alert sender with the static token reaches the ingest receivers; keying uses the
      // demo catalog (cart carries aiops/service-name: cartservice).
      const alert = {
        status: 'firing',
        alerts: [
          {
            labels: {
              alertname: 'HighErrorRate',
              job: 'cartservice',
              severity: 'critical',
            },
          },
        ],
      };
      const anonymous = await request(`http://127.0.0.1:${port}`)
        .post('/api/aiops-ingest/alerts/alertmanager')
        .send(alert);
      expect(anonymous.status).toBe(401);
      const accepted = await request(`http://127.0.0.1:${port}`)
        .post('/api/aiops-ingest/alerts/alertmanager')
        .set('authorization', `Bearer ${token}`)
        .send(alert);
      expect(accepted.status).toBe(200);
      expect(accepted.body.alerts[0]).toMatchObject({
        entityRef: 'component:default/cart',
      });
    } finally {
      await backend.stop();
    }
  });
});
