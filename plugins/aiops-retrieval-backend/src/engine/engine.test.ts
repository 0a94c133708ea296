import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type {
  Feed,
  IncidentChangeFeedItem,
  IncidentDetails,
} from '@aiops/plugin-aiops-common';
import { cartIncidentDetails } from '@aiops/plugin-aiops-node/testUtils';
import { DatabaseRetrievalStore } from '../database/DatabaseRetrievalStore';
import type { Embedder } from '../service/embedder';
import { hashedNgramsEmbedder } from '../service/hashedNgrams';
import { buildIncidentDocument } from '../service/incidentDocument';
import { DEFAULT_FUSION } from '../service/types';
import { ChangeFollower } from './ChangeFollower';
import { Indexer } from './Indexer';
import { Retriever } from './Retriever';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const logger = mockServices.logger.mock();

/** Correlation as data: its incidents and its change feed (cursors 1, 2, …). */
function correlation() {
  const incidents = new Map<string, IncidentDetails>();
  const feed: Array<{ item: IncidentChangeFeedItem; cursor: string }> = [];
  const reads: string[] = [];
  return {
    reads,
    change(details: IncidentDetails) {
      incidents.set(details.incident.id, details);
      feed.push({
        item: {
          incident: { id: details.incident.id },
        } as IncidentChangeFeedItem,
        cursor: String(feed.length + 1),
      });
    },
    async changes(after: string, limit: number) {
      const page = feed
        .filter(i => Number(i.cursor) > Number(after))
        .slice(0, limit);
      return {
        items: page,
        cursor: page.at(-1)?.cursor ?? after,
      } as Feed<IncidentChangeFeedItem>;
    },
    async incident(id: string) {
      reads.push(id);
      return incidents.get(id);
    },
  };
}

/** The cart incident under another id, resolved, with other words and a resolution. */
function pastIncident(
  id: string,
  title: string,
  edit: (details: IncidentDetails) => void = () => {},
): IncidentDetails {
  const details = cartIncidentDetails();
  Object.assign(details.incident, {
    id,
    title,
    status: 'resolved',
    resolvedAt: '2026-11-20T08:00:00.000Z',
    resolution: { note: `Fixed ${id}`, resolvedBy: 'user:default/guest' },
  });
  edit(details);
  return details;
}

const redisAgain = pastIncident(
  'inc-redis-old',
  'redis-cart: RedisDown, cart cannot reach Redis',
);
const disk = pastIncident('inc-disk', 'ledger-db: DiskFull', details => {
  details.incident.primaryEntityRef = 'resource:default/ledger-db';
  details.incident.affectedEntityRefs = ['resource:default/ledger-db'];
  details.incident.system = 'system:default/payments-platform';
  details.incident.rootCauseCandidates = [
    {
      entityRef: 'resource:default/ledger-db',
      score: 0.9,
      reasons: [],
      evidence: [],
    },
  ];
  details.alerts = details.alerts.slice(0, 1).map(link => ({
    ...link,
    details: { ...link.details!, name: 'DiskFull', title: 'DiskFull' },
  }));
  details.findings = [];
});

const failingEmbedder: Embedder = {
  model: hashedNgramsEmbedder.model,
  dimension: hashedNgramsEmbedder.dimension,
  embed: async () => {
    throw new Error('model unavailable');
  },
};

describe.each(databases.eachSupportedId())('retrieval engine on %s', id => {
  async function setUp(embedder: Embedder = hashedNgramsEmbedder) {
    const knex = await databases.init(id);
    const store = await DatabaseRetrievalStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const suite = correlation();
    const follower = (indexEmbedder = embedder) =>
      new ChangeFollower({
        database: knex,
        correlation: suite,
        indexer: new Indexer({
          store,
          correlation: suite,
          embedder: indexEmbedder,
          logger,
        }),
        logger,
      });
    const retriever = new Retriever({
      store,
      embedder,
      fusion: DEFAULT_FUSION,
      logger,
    });
    return { store, suite, follower, retriever };
  }

  it('indexes every changed incident from the feed once per page, and goes on from its cursor after a restart', async () => {
    const { store, suite, follower } = await setUp();
    suite.change(redisAgain);
    suite.change(disk);
    suite.change(redisAgain);
    const first = follower();
    await first.catchUp();
    await first.stop();
    expect(suite.reads.sort()).toEqual(['inc-disk', 'inc-redis-old']);
    expect(await first.cursor()).toBe('3');
    expect((await store.get('inc-redis-old'))?.document).toMatchObject({
      status: 'resolved',
      resolutionNote: 'Fixed inc-redis-old',
    });

    // A restart: a new follower on the same database reads only what came after.
    suite.reads.length = 0;
    suite.change({
      ...disk,
      incident: { ...disk.incident, title: 'ledger-db: DiskFull again' },
    });
    const second = follower();
    await second.catchUp();
    await second.stop();
    expect(suite.reads).toEqual(['inc-disk']);
    expect((await store.get('inc-disk'))?.document.title).toBe(
      'ledger-db: DiskFull again',
    );
    expect(await store.count()).toBe(2);
  });

  it('indexes a page of incidents at once, answering those correlation no longer knows', async () => {
    const { store, suite } = await setUp();
    suite.change(redisAgain);
    suite.change(disk);
    const indexer = new Indexer({
      store,
      correlation: suite,
      embedder: hashedNgramsEmbedder,
      logger,
    });
    expect(
      await indexer.indexIncidents(['inc-redis-old', 'inc-gone', 'inc-disk']),
    ).toEqual(['inc-gone']);
    expect(await store.count()).toBe(2);
    expect(await store.countStale(hashedNgramsEmbedder.model)).toBe(0);
    expect(await indexer.index('inc-gone')).toBe(false);
  });

  it('answers the past incident with the same cause first, hybrid, with why', async () => {
    const { suite, follower, retriever } = await setUp();
    suite.change(disk);
    suite.change(redisAgain);
    const following = follower();
    await following.catchUp();
    await following.stop();

    const now = buildIncidentDocument(cartIncidentDetails());
    const result = await retriever.similar(now, 5);
    expect(result.mode).toBe('hybrid');
    expect(result.model).toBe('hashed-ngrams@1');
    expect(result.hits[0].document.incidentId).toBe('inc-redis-old');
    expect(result.hits[0].why).toMatchObject({
      sameRootCause: true,
      sharedAlertNames: expect.arrayContaining(['RedisDown']),
    });
    expect(result.hits[0].why.signals.vector).toBeGreaterThan(0);
    expect(result.hits.map(h => h.document.incidentId)).not.toContain('inc-1');

    const found = await retriever.search(
      'disk full on the ledger',
      { system: 'system:default/payments-platform' },
      5,
    );
    expect(found.hits.map(h => h.document.incidentId)).toEqual(['inc-disk']);
  });

  it('keeps indexing and answering by words and structure when the embedder fails', async () => {
    const { store, suite, follower, retriever } = await setUp(failingEmbedder);
    suite.change(redisAgain);
    const following = follower();
    await following.catchUp();
    await following.stop();
    expect((await store.get('inc-redis-old'))?.embedding).toBeUndefined();

    const result = await retriever.similar(
      buildIncidentDocument(cartIncidentDetails()),
      5,
    );
    expect(result.mode).toBe('lexical-structural');
    expect(result.hits[0].document.incidentId).toBe('inc-redis-old');
    expect(result.hits[0].why.signals.vector).toBeUndefined();
  });

  it('re-embeds documents of another model, so vectors never mix', async () => {
    const { store, suite, follower } = await setUp(failingEmbedder);
    suite.change(redisAgain);
    const following = follower();
    await following.catchUp();
    await following.stop();
    const indexer = new Indexer({
      store,
      correlation: suite,
      embedder: hashedNgramsEmbedder,
      logger,
    });
    expect(await store.countStale('hashed-ngrams@1')).toBe(1);
    await indexer.reembedIfStale();
    expect(await store.countStale('hashed-ngrams@1')).toBe(0);
    expect(await indexer.reindex()).toEqual({
      documents: 1,
      withoutVector: 0,
    });
  });
});
