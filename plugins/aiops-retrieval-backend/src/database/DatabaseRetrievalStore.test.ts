import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { cartIncidentDetails } from '@aiops/plugin-aiops-node/testUtils';
import { documentText } from '../service/documentText';
import { embedHashedNgrams } from '../service/hashedNgrams';
import { buildIncidentDocument } from '../service/incidentDocument';
import { tokenize } from '../service/tokenize';
import type { IncidentDocument } from '../service/types';
import { DatabaseRetrievalStore } from './DatabaseRetrievalStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const cart = buildIncidentDocument(cartIncidentDetails());

function incident(
  id: string,
  overrides: Partial<IncidentDocument>,
): IncidentDocument {
  return { ...cart, incidentId: id, findings: [], ...overrides };
}

const redis = incident('inc-redis', {
  title: 'redis-cart: RedisDown, cart connection refused',
  openedAt: '2026-10-01T10:00:00.000Z',
  resolutionNote: 'Restarted redis-cart with more memory',
});
const disk = incident('inc-disk', {
  title: 'ledger-db: DiskFull on the ledger volume',
  entityRefs: ['resource:default/ledger-db'],
  rootCauseEntityRef: 'resource:default/ledger-db',
  alertNames: ['DiskFull'],
  system: 'system:default/payments-platform',
  owner: 'group:default/payments-team',
  openedAt: '2026-11-01T10:00:00.000Z',
});
const frontend = incident('inc-frontend', {
  title: 'frontend: Frontend5xx after a deploy',
  entityRefs: ['component:default/frontend'],
  rootCauseEntityRef: 'component:default/frontend',
  alertNames: ['Frontend5xx'],
  openedAt: '2026-11-10T10:00:00.000Z',
});

const tokensOf = (document: IncidentDocument) =>
  tokenize(documentText(document));
const embeddingOf = (
  document: IncidentDocument,
  model = 'hashed-ngrams@1',
) => ({
  model,
  vector: embedHashedNgrams(documentText(document)),
});

describe.each(databases.eachSupportedId())(
  'DatabaseRetrievalStore on %s',
  id => {
    async function store() {
      const knex = await databases.init(id);
      const documents = await DatabaseRetrievalStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      for (const document of [redis, disk, frontend])
        await documents.put(
          document,
          tokensOf(document),
          embeddingOf(document),
        );
      return documents;
    }

    it('keeps the document and its vector, and replaces both when put again', async () => {
      const documents = await store();
      const stored = await documents.get('inc-redis');
      expect(stored?.document).toEqual(redis);
      expect(stored?.embedding?.model).toBe('hashed-ngrams@1');
      expect(Array.from(stored!.embedding!.vector)).toEqual(
        Array.from(embeddingOf(redis).vector),
      );

      const resolved = { ...redis, title: 'redis-cart out of memory' };
      await documents.put(resolved, tokensOf(resolved));
      const again = await documents.get('inc-redis');
      expect(again?.document.title).toBe('redis-cart out of memory');
      expect(again?.embedding).toBeUndefined();
      expect(await documents.count()).toBe(3);
      expect(await documents.get('inc-unknown')).toBeUndefined();
    });

    it('finds documents by any of the words, exactly as tokenized, the better match first', async () => {
      const documents = await store();
      const hits = await documents.lexical(tokenize('ledger disk volumes'), {
        limit: 10,
      });
      expect(hits.map(h => h.incidentId)).toEqual(['inc-disk']);
      expect(hits[0].score).toBeGreaterThan(0);
      // No stemming: the term counts are then what a query's terms really match.
      expect(
        await documents.lexical(tokenize('volumes'), { limit: 10 }),
      ).toEqual([]);

      const redisFirst = await documents.lexical(
        tokenize('redis connection memory frontend'),
        { limit: 10 },
      );
      expect(redisFirst.map(h => h.incidentId)).toEqual([
        'inc-redis',
        'inc-frontend',
      ]);
      expect(redisFirst[0].score).toBeGreaterThan(redisFirst[1].score);
      expect(await documents.lexical(tokenize('kafka'), { limit: 10 })).toEqual(
        [],
      );
      expect(await documents.lexical([], { limit: 10 })).toEqual([]);
    });

    it('forgets the words of a replaced document', async () => {
      const documents = await store();
      const renamed = { ...disk, title: 'ledger-db saturated' };
      await documents.put(renamed, tokenize('ledger saturated'));
      expect(
        await documents.lexical(tokenize('volume'), { limit: 10 }),
      ).toEqual([]);
      expect(
        (await documents.lexical(tokenize('saturated'), { limit: 10 })).map(
          h => h.incidentId,
        ),
      ).toEqual(['inc-disk']);
    });

    it('writes many documents in one call, the last of an incident given twice winning', async () => {
      const documents = await store();
      const many = Array.from({ length: 450 }, (_, i) =>
        incident(`inc-bulk-${String(i).padStart(3, '0')}`, {
          title: `bulk incident ${i} queue backlog`,
          alertNames: ['QueueBacklog'],
        }),
      );
      const replacedDisk = { ...disk, title: 'ledger-db saturated' };
      await documents.putMany([
        { document: disk, tokens: tokenize('ledger stale words') },
        ...many.map(document => ({
          document,
          tokens: tokensOf(document),
          embedding: embeddingOf(document),
        })),
        { document: replacedDisk, tokens: tokenize('ledger saturated') },
      ]);
      expect(await documents.count()).toBe(3 + many.length);
      expect((await documents.get('inc-disk'))?.document.title).toBe(
        'ledger-db saturated',
      );
      // Replaced words are gone and no document is found twice.
      expect(
        await documents.lexical(tokenize('stale volume'), { limit: 10 }),
      ).toEqual([]);
      const ledger = await documents.lexical(tokenize('ledger'), { limit: 10 });
      expect(ledger.map(h => h.incidentId)).toEqual(['inc-disk']);
      const backlog = await documents.lexical(tokenize('backlog'), {
        limit: 1000,
      });
      expect(backlog).toHaveLength(many.length);
      expect(
        await documents.structural(
          { entityRefs: [], alertNames: ['QueueBacklog'] },
          { limit: 1000 },
        ),
      ).toHaveLength(many.length);
      expect((await documents.get('inc-bulk-449'))?.embedding?.model).toBe(
        'hashed-ngrams@1',
      );
      await documents.putMany([]);
      expect(await documents.count()).toBe(3 + many.length);
    });

    it('finds documents sharing entities and alert names, the most shared first', async () => {
      const documents = await store();
      expect(
        await documents.structural(
          {
            entityRefs: [
              'resource:default/ledger-db',
              'Component:default/Frontend',
            ],
            alertNames: ['DiskFull'],
          },
          { limit: 10 },
        ),
      ).toEqual(['inc-disk', 'inc-frontend', 'inc-redis']);
      expect(
        await documents.structural(
          { entityRefs: [], alertNames: [] },
          { limit: 10 },
        ),
      ).toEqual([]);
    });

    it('filters by entity, system, owner and opening time', async () => {
      const documents = await store();
      const words = tokenize('redis ledger frontend');
      const search = async (filters: object) =>
        (await documents.lexical(words, { limit: 10, filters }))
          .map(h => h.incidentId)
          .sort();
      expect(await search({})).toEqual([
        'inc-disk',
        'inc-frontend',
        'inc-redis',
      ]);
      expect(await search({ entityRef: 'Resource:default/ledger-db' })).toEqual(
        ['inc-disk'],
      );
      expect(
        await search({ system: 'system:default/online-boutique' }),
      ).toEqual(['inc-frontend', 'inc-redis']);
      expect(await search({ owner: 'group:default/payments-team' })).toEqual([
        'inc-disk',
      ]);
      expect(
        await search({
          from: '2026-11-01T00:00:00Z',
          to: '2026-11-10T10:00:00Z',
        }),
      ).toEqual(['inc-disk']);
      expect(
        await documents.structural(
          { entityRefs: cart.entityRefs, alertNames: [] },
          { limit: 10, filters: { from: '2026-11-05T00:00:00Z' } },
        ),
      ).toEqual(['inc-frontend']);
    });

    it('answers candidates in the asked order with vectors of the asked model only', async () => {
      const documents = await store();
      await documents.put(
        frontend,
        tokensOf(frontend),
        embeddingOf(frontend, 'other@2'),
      );
      const candidates = await documents.candidates(
        ['inc-frontend', 'inc-unknown', 'inc-redis'],
        'hashed-ngrams@1',
      );
      expect(candidates.map(c => c.document.incidentId)).toEqual([
        'inc-frontend',
        'inc-redis',
      ]);
      expect(candidates[0].vector).toBeUndefined();
      expect(candidates[1].vector).toHaveLength(512);
      expect(await documents.countStale('hashed-ngrams@1')).toBe(1);
      expect(await documents.countStale('other@2')).toBe(2);
    });

    it('counts the documents holding each word and key, through replacements', async () => {
      const documents = await store();
      const knex = (documents as unknown as { db: import('knex').Knex }).db;
      const counts = async () =>
        Object.fromEntries(
          (
            await knex('retrieval_terms')
              .whereIn('term', [
                '',
                'redis',
                'diskfull',
                'e:resource:default/ledger-db',
                'a:DiskFull',
              ])
              .select('term', 'documents')
          ).map(row => [row.term, Number(row.documents)]),
        );
      expect(await counts()).toEqual({
        '': 3,
        redis: 1,
        diskfull: 1,
        'e:resource:default/ledger-db': 1,
        'a:DiskFull': 1,
      });
      // The disk incident, retitled and moved: its old words and keys no longer count.
      const moved = incident('inc-disk', {
        title: 'redis-cart: RedisDown again',
        alertNames: ['RedisDown'],
      });
      await documents.put(moved, tokensOf(moved));
      expect(await counts()).toEqual({
        '': 3,
        redis: 2,
        diskfull: 0,
        'e:resource:default/ledger-db': 0,
        'a:DiskFull': 0,
      });
    });

    it('asks the index for a query’s rare words only once words are common, so a common word costs nothing', async () => {
      const documents = await store();
      const many = Array.from({ length: 300 }, (_, i) =>
        incident(`inc-noise-${String(i).padStart(3, '0')}`, {
          title: `alerts grouped ${i % 2 ? 'checkout' : 'payments'}`,
          entityRefs: ['component:default/checkout'],
          alertNames: ['TargetDown'],
        }),
      );
      await documents.putMany(
        many.map(document => ({ document, tokens: tokensOf(document) })),
      );
      // "alerts" is in 300 of 303 documents; "ledger" in one.
      const hits = await documents.lexical(['alerts', 'ledger'], {
        limit: 100,
      });
      expect(hits.map(h => h.incidentId)).toEqual(['inc-disk']);
      // Only common words asked: the rarest of them still find candidates.
      const common = await documents.lexical(['alerts'], { limit: 5 });
      expect(common).toHaveLength(5);
      // A key in nearly every document is left out of the structural query too.
      const shared = await documents.structural(
        {
          entityRefs: [
            'component:default/checkout',
            'resource:default/ledger-db',
          ],
          alertNames: ['TargetDown'],
        },
        { limit: 100 },
      );
      expect(shared).toEqual(['inc-disk']);
    });

    it('lists documents in id order, page by page', async () => {
      const documents = await store();
      const first = await documents.list('', 2);
      expect(first.map(d => d.document.incidentId)).toEqual([
        'inc-disk',
        'inc-frontend',
      ]);
      const rest = await documents.list('inc-frontend', 2);
      expect(rest.map(d => d.document.incidentId)).toEqual(['inc-redis']);
    });
  },
);
