import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import type { AiopsRetrievalApi } from '@aiops/plugin-aiops-common';
// The real retrieval plugin, with this module beside it, as an adopter installs them.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import aiopsRetrievalPlugin from '@aiops/plugin-aiops-retrieval-backend';
import { fakeOpenSearch, NODE } from './__testUtils__/fakeOpenSearch';
import { aiopsRetrievalModuleOpenSearch } from './module';

jest.setTimeout(60_000);

const config = (opensearch: object) =>
  mockServices.rootConfig.factory({
    data: {
      aiops: {
        // The API only: nothing follows correlation in this test.
        retrieval: { enabled: false, opensearch },
      },
    },
  });

const features = (opensearch: object) => [
  aiopsRetrievalPlugin,
  aiopsRetrievalModuleOpenSearch,
  createServiceFactory({
    service: eventsServiceRef,
    deps: {},
    factory: () =>
      DefaultEventsService.create({ logger: mockServices.logger.mock() }),
  }),
  config(opensearch),
];

describe('the OpenSearch module in aiops-retrieval', () => {
  const fake = fakeOpenSearch();
  beforeAll(() => fake.server.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => fake.server.close());

  it('answers the plugin’s search from OpenSearch’s hybrid query, explained like the embedded store’s hits', async () => {
    fake.docs.set('inc-past', {
      incidentId: 'inc-past',
      embeddingModel: 'hashed-ngrams@1',
      embedding: Array.from({ length: 512 }, (_, i) => (i === 7 ? 1 : 0)),
      document: {
        incidentId: 'inc-past',
        title: 'redis-cart: RedisDown',
        status: 'resolved',
        severity: 'critical',
        entityRefs: ['resource:default/redis-cart'],
        alertNames: ['RedisDown'],
        alertLabels: [],
        findings: [],
        resolutionNote: 'Restarted redis-cart with more memory',
        openedAt: '2026-11-02T14:10:00.000Z',
        resolvedAt: '2026-11-02T14:40:00.000Z',
        timeToResolveMs: 1_800_000,
      },
    });
    const backend = await startTestBackend({
      features: features({ node: NODE, index: 'incidents-test' }),
    });
    try {
      const res = await request(backend.server)
        .post('/api/aiops-retrieval/search')
        .set('authorization', mockCredentials.user.header())
        .send({ query: 'redis memory', k: 3 })
        .expect(200);
      const body = res.body as AiopsRetrievalApi.RetrievalResult;
      expect(body.hits).toHaveLength(1);
      expect(body.hits[0]).toMatchObject({
        incidentId: 'inc-past',
        resolution: { note: 'Restarted redis-cart with more memory' },
        why: { sharedTerms: expect.arrayContaining(['redis', 'memory']) },
      });
      const search = fake.to('/incidents-test/_search')[0];
      expect(search.search.get('search_pipeline')).toMatch(
        /^incidents-test-minmax-/,
      );
      expect((search.body as any).query.hybrid.queries).toHaveLength(3);
    } finally {
      await backend.stop();
    }
  });

  it('fails the start naming the setting when the node is not a URL', async () => {
    await expect(
      startTestBackend({ features: features({ node: 'opensearch:9200' }) }),
    ).rejects.toThrow(/aiops\.retrieval\.opensearch\.node/);
  });
});
