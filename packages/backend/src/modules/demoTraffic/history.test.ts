/* eslint-disable @backstage/no-relative-monorepo-imports */
import request from 'supertest';
import {
  coreServices,
  createBackendModule,
  type AuthService,
  type DiscoveryService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { AiopsRetrievalApi, Incident } from '@aiops/plugin-aiops-common';
import {
  CatalogEntityResolver,
  entityResolverServiceRef,
  type EntityResolver,
} from '@aiops/plugin-aiops-node';
// The suite's ingest, correlation and retrieval plugins on the demo catalog, as retrieval's
// own API tests start them.
import {
  asService,
  eventually,
  startRetrievalSuite,
  type RetrievalSuite,
} from '../../../../../plugins/aiops-retrieval-backend/src/__testUtils__/startRetrievalSuite';
import { HISTORY, HISTORY_LABEL, pastIncidentWebhooks } from './history';
import { HistorySeeder } from './historySeeder';
import { DemoTrafficSender } from './sender';
import { MINUTE_MS, TIMELINE, alertmanagerFingerprint } from './storyline';

jest.setTimeout(120_000);

/** The demo module's services: it runs as a module of aiops-ingest. */
interface Captured {
  discovery?: DiscoveryService;
  auth?: AuthService;
  resolver?: EntityResolver;
}

function captureServices(into: Captured) {
  return createBackendModule({
    pluginId: 'aiops-ingest',
    moduleId: 'demo-history-test-capture',
    register(reg) {
      reg.registerInit({
        deps: {
          discovery: coreServices.discovery,
          auth: coreServices.auth,
          resolver: entityResolverServiceRef,
        },
        async init(deps) {
          Object.assign(into, deps);
        },
      });
    },
  });
}

describe('the demo history', () => {
  it('gives every past incident its own alert fingerprints, apart from the storyline', () => {
    expect(new Set(HISTORY.map(past => past.key)).size).toBe(HISTORY.length);
    const fingerprints = HISTORY.flatMap(past =>
      pastIncidentWebhooks(past, 'firing', 0, 0).map(
        w => w.alerts[0].fingerprint,
      ),
    );
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    const [webhook] = pastIncidentWebhooks(HISTORY[0], 'firing', 0, 0);
    expect(webhook.alerts[0].labels[HISTORY_LABEL]).toBe(HISTORY[0].key);
    // Without the label it would be the storyline's own RedisCartLatencyHigh.
    const { [HISTORY_LABEL]: _key, ...storylineLabels } =
      webhook.alerts[0].labels;
    expect(webhook.alerts[0].fingerprint).not.toBe(
      alertmanagerFingerprint(storylineLabels),
    );
  });

  it('stops at the first failure and leaves the rest for the next try', async () => {
    const logger = mockServices.logger.mock();
    const posts: string[] = [];
    const seeder = new HistorySeeder({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async (pluginId: string) => `http://backstage/${pluginId}`,
      }),
      auth: mockServices.auth(),
      logger,
      // Ingest answers; correlation is not installed.
      fetch: async (url, init) => {
        const { pathname } = new URL(String(url));
        if (pathname.startsWith('/aiops-correlation'))
          return new Response(null, { status: 404 });
        if (init?.method === 'POST') {
          posts.push(pathname);
          return Response.json({ alerts: [{ id: `a${posts.length}` }] });
        }
        return Response.json({ items: [] });
      },
    });
    const report = await seeder.seed();
    expect(report).toEqual({
      played: [],
      skipped: [],
      left: HISTORY.map(p => p.key),
    });
    expect(seeder.seeded).toBe(false);
    // Only the first past incident's alerts fired: nothing more was left behind firing.
    expect(posts).toEqual(
      HISTORY[0].alerts.map(() => '/aiops-ingest/alerts/alertmanager'),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        new RegExp(
          `^Demo history: could not play past incident redis-cart-oom; ${HISTORY.length} left .*HTTP 404`,
        ),
      ),
    );
  });

  it('plays nothing until the catalog keys every past incident', async () => {
    const logger = mockServices.logger.mock();
    const requests: string[] = [];
    // The catalog before it has processed its locations: no entities yet.
    const emptyCatalog = {
      queryEntities: async () => ({
        items: [],
        totalItems: 0,
        pageInfo: {},
      }),
    } as unknown as ConstructorParameters<
      typeof CatalogEntityResolver
    >[0]['catalog'];
    const seeder = new HistorySeeder({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async (pluginId: string) => `http://backstage/${pluginId}`,
      }),
      auth: mockServices.auth(),
      logger,
      resolver: new CatalogEntityResolver({
        catalog: emptyCatalog,
        auth: mockServices.auth(),
        logger,
      }),
      fetch: async url => {
        requests.push(String(url));
        return Response.json({ items: [] });
      },
    });
    const report = await seeder.seed();
    expect(report.left).toEqual(HISTORY.map(p => p.key));
    expect(requests).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        'Demo history: waiting for the catalog to key resource:default/redis-cart',
      ),
    );
  });

  describe('played through the real APIs', () => {
    let suite: RetrievalSuite | undefined;
    let ticking: NodeJS.Timeout | undefined;
    afterEach(async () => {
      clearInterval(ticking);
      await suite?.stop();
      suite = undefined;
    });

    it('seeds resolved incidents with their resolutions once, and the storyline finds them', async () => {
      const services: Captured = {};
      suite = await startRetrievalSuite({
        extraFeatures: [captureServices(services)],
      });
      // Correlation's scheduled tick, as the backend runs it.
      ticking = setInterval(() => suite?.tick().catch(() => {}), 200);
      const logger = mockServices.logger.mock();
      const seeder = () =>
        new HistorySeeder({
          discovery: services.discovery!,
          auth: services.auth!,
          logger,
          resolver: services.resolver,
          pollMs: 50,
        });

      const first = await seeder().seed();
      expect(first.left).toEqual([]);
      expect(first.played.map(p => p.key)).toEqual(HISTORY.map(p => p.key));

      const resolved = (
        await request(suite.server)
          .get('/api/aiops-correlation/incidents')
          .query({ status: 'resolved', limit: 100 })
          .set('authorization', asService)
          .expect(200)
      ).body.items as Incident[];
      const notes = resolved.map(incident => incident.resolution?.note);
      for (const past of HISTORY) {
        expect(notes).toContain(past.resolution.note);
      }
      expect(
        resolved.find(i => i.resolution?.note === HISTORY[0].resolution.note),
      ).toMatchObject({
        affectedEntityRefs: expect.arrayContaining([
          'resource:default/redis-cart',
        ]),
        resolution: { postmortemUrl: HISTORY[0].resolution.postmortemUrl },
      });

      // A restart plays nothing again.
      const again = await seeder().seed();
      expect(again).toEqual({
        played: [],
        skipped: HISTORY.map(p => p.key),
        left: [],
      });

      // The storyline's first incident: redis-cart slows down after the cart release.
      const origin = Date.now() - TIMELINE.redisPeak - MINUTE_MS;
      const sender = new DemoTrafficSender({
        discovery: services.discovery!,
        auth: services.auth!,
        logger,
        seed: 3,
        origin,
        intervalMs: 30_000,
      });
      expect((await sender.sendTick(new Date())).failed).toEqual([]);
      const storyline = await eventually(
        'the storyline incident',
        async () => {
          const open = (
            await request(suite!.server)
              .get('/api/aiops-correlation/incidents')
              .query({ status: 'open' })
              .set('authorization', asService)
          ).body.items as Incident[];
          return open.find(i =>
            i.affectedEntityRefs.includes('resource:default/redis-cart'),
          );
        },
        30_000,
      );

      const similar = await eventually(
        'similar past incidents',
        async () => {
          await suite!.catchUp();
          const body = (
            await request(suite!.server)
              .get(`/api/aiops-retrieval/incidents/${storyline.id}/similar?k=5`)
              .set('authorization', asService)
              .expect(200)
          ).body as AiopsRetrievalApi.SimilarIncidents;
          return body.hits.length === 5 && body;
        },
        30_000,
      );
      const byNote = (key: string) =>
        HISTORY.find(p => p.key === key)!.resolution.note;
      const hitNotes = similar.hits.map(hit => hit.resolution?.note);
      // The past redis-cart outages, with what fixed them, rank above the others.
      expect(hitNotes.slice(0, 3)).toEqual(
        expect.arrayContaining([
          byNote('redis-cart-oom'),
          byNote('cart-keys-scan-deploy'),
          byNote('redis-cart-aof-stall'),
        ]),
      );
      expect(hitNotes).not.toContain(byNote('payment-gateway-tls'));
      expect(similar.hits[0]).toMatchObject({
        status: 'resolved',
        why: {
          sharedEntities: expect.arrayContaining([
            'resource:default/redis-cart',
          ]),
        },
      });
    });
  });
});
