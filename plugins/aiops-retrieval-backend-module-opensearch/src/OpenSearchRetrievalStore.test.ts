import { Client } from '@opensearch-project/opensearch';
import type { FusionOptions, IncidentDocument } from '@aiops/plugin-aiops-node';
import { fakeOpenSearch, NODE } from './__testUtils__/fakeOpenSearch';
import {
  BulkIndexingError,
  OpenSearchRetrievalStore,
} from './OpenSearchRetrievalStore';

const INDEX = 'aiops-incidents';
const MINMAX: FusionOptions = {
  method: 'minmax',
  weights: { lexical: 0.35, vector: 0.35, structural: 0.3 },
  rrfK: 60,
};

const doc = (
  id: string,
  overrides: Partial<IncidentDocument> = {},
): IncidentDocument => ({
  incidentId: id,
  title: `redis-cart: RedisDown ${id}`,
  status: 'resolved',
  severity: 'critical',
  system: 'system:default/Boutique',
  owner: 'group:default/Platform',
  entityRefs: ['resource:default/redis-cart', 'component:default/cart'],
  rootCauseEntityRef: 'resource:default/redis-cart',
  alertNames: ['RedisDown'],
  alertLabels: [],
  findings: [],
  resolutionNote: 'Restarted redis-cart with more memory',
  openedAt: '2026-11-02T14:10:00.000Z',
  ...overrides,
});
const vector = (seed: number) =>
  Float32Array.from({ length: 4 }, (_, i) => (i === seed % 4 ? 1 : 0));

describe('OpenSearchRetrievalStore at the wire', () => {
  const fake = fakeOpenSearch();
  beforeAll(() => fake.server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => fake.server.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.docs.clear();
    fake.failSearches(undefined);
  });

  const store = (dimension = 4) =>
    new OpenSearchRetrievalStore({
      client: new Client({ node: NODE, maxRetries: 0 }),
      index: INDEX,
      dimension,
    });

  it('creates the index with BM25 text, keyword structure and an HNSW cosine k-NN vector, once, before its first write', async () => {
    const s = store();
    await s.put(doc('inc-1'), ['redis', 'down'], {
      model: 'hashed-ngrams@1',
      vector: vector(1),
    });
    await s.put(doc('inc-2'), ['redis'], undefined);
    const [create, ...again] = fake.to(`/${INDEX}`, 'PUT');
    expect(again).toEqual([]);
    expect(create.body).toMatchObject({
      settings: { index: { knn: true } },
      mappings: {
        properties: {
          body: { type: 'text' },
          entityRefs: { type: 'keyword' },
          embedding: {
            type: 'knn_vector',
            dimension: 4,
            method: { name: 'hnsw', space_type: 'cosinesimil' },
          },
          document: { type: 'object', enabled: false },
        },
      },
    });
  });

  it('indexes a page in one bulk request: the action line, then the source with lower-cased keys and the vector with its model', async () => {
    await store().putMany([
      {
        document: doc('inc-1'),
        tokens: ['redis', 'down', 'cart'],
        embedding: { model: 'hashed-ngrams@1', vector: vector(2) },
      },
      { document: doc('inc-2'), tokens: ['redis'] },
    ]);
    const [bulk] = fake.to('/_bulk');
    const lines = bulk.body as any[];
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({ index: { _index: INDEX, _id: 'inc-1' } });
    expect(lines[1]).toMatchObject({
      incidentId: 'inc-1',
      body: 'redis down cart',
      system: 'system:default/boutique',
      owner: 'group:default/platform',
      embeddingModel: 'hashed-ngrams@1',
      embedding: [0, 0, 1, 0],
      document: { incidentId: 'inc-1', system: 'system:default/Boutique' },
    });
    expect(lines[3]).not.toHaveProperty('embedding');
  });

  it('rejects a bulk request OpenSearch took only in part, naming the incidents it did not index and why', async () => {
    fake.failNextBulk.set('inc-2', {
      type: 'mapper_parsing_exception',
      reason: 'failed to parse field [openedAt]',
    });
    const write = store().putMany([
      { document: doc('inc-1'), tokens: ['a'] },
      { document: doc('inc-2'), tokens: ['b'] },
    ]);
    await expect(write).rejects.toThrow(BulkIndexingError);
    await expect(write).rejects.toThrow(
      /inc-2 \(mapper_parsing_exception: failed to parse field \[openedAt\]\)/,
    );
    await expect(write).rejects.not.toThrow(/inc-1/);
  });

  it('refuses a vector of another dimension than the index, naming the setting, and writes nothing', async () => {
    await expect(
      store(4).put(doc('inc-1'), ['a'], {
        model: 'mistral-embed',
        vector: new Float32Array(1024),
      }),
    ).rejects.toThrow(/aiops\.retrieval\.opensearch\.dimension/);
    expect(fake.to('/_bulk')).toEqual([]);
  });

  it('ranks through one hybrid query (words, k-NN of the same model, structure) and a normalization pipeline with weights adding up to 1', async () => {
    const s = store();
    await s.putMany([
      {
        document: doc('inc-now'),
        tokens: ['redis'],
        embedding: { model: 'hashed-ngrams@1', vector: vector(0) },
      },
      {
        document: doc('inc-past'),
        tokens: ['redis'],
        embedding: { model: 'hashed-ngrams@1', vector: vector(1) },
      },
      {
        document: doc('inc-old-model'),
        tokens: ['redis'],
        embedding: { model: 'use-lite@1', vector: vector(1) },
      },
    ]);
    const query = {
      text: 'redis down',
      vector: vector(0),
      model: 'hashed-ngrams@1',
      structure: doc('inc-now'),
      excludeIncidentId: 'inc-now',
      filters: { owner: 'group:default/Platform' },
      limit: 6,
      fusion: MINMAX,
    };
    const hits = await s.hybrid(query);
    await s.hybrid(query);

    const pipelines = fake.to(
      fake.requests.find(r => r.path.startsWith('/_search/pipeline/'))!.path,
    );
    expect(pipelines).toHaveLength(1);
    expect(pipelines[0].body).toEqual({
      description: expect.any(String),
      phase_results_processors: [
        {
          'normalization-processor': {
            normalization: { technique: 'min_max' },
            combination: {
              technique: 'arithmetic_mean',
              parameters: { weights: [0.35, 0.35, 0.3] },
            },
          },
        },
      ],
    });
    const [search] = fake.to(`/${INDEX}/_search`);
    expect(search.search.get('search_pipeline')).toBe(
      pipelines[0].path.split('/').pop(),
    );
    const body = search.body as any;
    expect(body.size).toBe(6);
    expect(body.query.hybrid.queries).toEqual([
      { match: { body: { query: 'redis down', operator: 'or' } } },
      {
        knn: {
          embedding: {
            vector: [1, 0, 0, 0],
            k: 100,
            filter: { term: { embeddingModel: 'hashed-ngrams@1' } },
          },
        },
      },
      {
        bool: {
          should: expect.arrayContaining([
            {
              terms: {
                entityRefs: [
                  'resource:default/redis-cart',
                  'component:default/cart',
                ],
                boost: 0.35,
              },
            },
          ]),
          minimum_should_match: 1,
        },
      },
    ]);
    expect(body.query.hybrid.filter).toEqual({
      bool: {
        filter: [{ term: { owner: 'group:default/platform' } }],
        must_not: [{ term: { incidentId: 'inc-now' } }],
      },
    });

    expect(hits.map(h => h.document.incidentId)).toEqual([
      'inc-past',
      'inc-old-model',
    ]);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    expect(hits[0].vector).toEqual(vector(1));
    // Another model's vector is never compared.
    expect(hits[1].vector).toBeUndefined();
  });

  it('fuses by reciprocal rank with the configured constant, and leaves out a signal the query lacks', async () => {
    const s = store();
    await s.hybrid({
      text: 'disk full',
      model: 'hashed-ngrams@1',
      limit: 5,
      fusion: { ...MINMAX, method: 'rrf', rrfK: 40 },
    });
    const pipeline = fake.requests.find(r =>
      r.path.startsWith('/_search/pipeline/'),
    )!;
    expect(pipeline.body).toMatchObject({
      phase_results_processors: [
        {
          'score-ranker-processor': {
            combination: { technique: 'rrf', rank_constant: 40 },
          },
        },
      ],
    });
    const body = fake.to(`/${INDEX}/_search`)[0].body as any;
    expect(body.query.hybrid.queries.slice(1)).toEqual([
      { match_none: {} },
      { match_none: {} },
    ]);
    expect(body.query.hybrid).not.toHaveProperty('filter');
  });

  it('reads documents back: get (absent is undefined), candidates with vectors of the asked model only, list in id order, counts', async () => {
    const s = store();
    await s.putMany([
      {
        document: doc('inc-a'),
        tokens: ['a'],
        embedding: { model: 'hashed-ngrams@1', vector: vector(3) },
      },
      { document: doc('inc-b'), tokens: ['b'] },
    ]);
    expect(await s.get('inc-missing')).toBeUndefined();
    expect(await s.get('inc-a')).toEqual({
      document: doc('inc-a'),
      embedding: { model: 'hashed-ngrams@1', vector: vector(3) },
    });
    const candidates = await s.candidates(
      ['inc-a', 'inc-b', 'inc-missing'],
      'use-lite@1',
    );
    expect(candidates).toEqual([
      { document: doc('inc-a') },
      { document: doc('inc-b') },
    ]);
    await s.list('inc-a', 10);
    expect(fake.to(`/${INDEX}/_search`).at(-1)!.body).toMatchObject({
      sort: [{ incidentId: 'asc' }],
      search_after: ['inc-a'],
      size: 10,
    });
    expect(await s.count()).toBe(2);
    expect(await s.countStale('hashed-ngrams@1')).toBe(1);
  });

  it('rejects when OpenSearch fails a search, so the caller answers an error rather than no hits', async () => {
    fake.failSearches(503);
    await expect(store().lexical(['redis'], { limit: 5 })).rejects.toThrow(
      /search_phase_execution_exception/,
    );
  });
});
