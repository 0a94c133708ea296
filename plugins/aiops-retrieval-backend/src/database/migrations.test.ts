import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@aiops/plugin-aiops-retrieval-backend',
  'migrations',
);
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('aiops-retrieval migrations', () => {
  it.each(databases.eachSupportedId())(
    'migrate up and down with data on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const postgres = knex.client.config.client === 'pg';
      await knex.migrate.latest({ directory: migrationsDir });

      await knex('retrieval_documents').insert({
        incident_id: 'inc-1',
        title: 'RedisDown',
        status: 'resolved',
        opened_at: new Date('2026-11-25T08:00:00.000Z'),
        document: '{}',
        body: 'redis down memory',
        vector: Buffer.from([0, 0, 0x80, 0x3f]),
        model: 'hashed-ngrams@1',
        indexed_at: new Date(),
      });
      // The lexical index each database has: a generated tsvector, or the FTS5 table.
      let matched: unknown;
      if (postgres) {
        matched = (
          await knex.raw(
            `SELECT incident_id FROM retrieval_documents
             WHERE body_tsv @@ to_tsquery('english', 'memories')`,
          )
        ).rows;
      } else {
        await knex('retrieval_documents_fts').insert({
          incident_id: 'inc-1',
          body: 'redis down memory',
        });
        matched = await knex.raw(
          `SELECT incident_id FROM retrieval_documents_fts WHERE retrieval_documents_fts MATCH 'memories'`,
        );
      }
      expect(matched).toEqual([{ incident_id: 'inc-1' }]);
      const [row] = await knex('retrieval_documents').select('vector');
      expect([...row.vector]).toEqual([0, 0, 0x80, 0x3f]);

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      expect(await knex.schema.hasTable('retrieval_documents')).toBe(false);
      expect(await knex.schema.hasTable('retrieval_document_keys')).toBe(false);
      expect(await knex.schema.hasTable('retrieval_documents_fts')).toBe(false);

      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex('retrieval_documents')).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts the terms of documents indexed before the term counts on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261203200000_documents.js',
      });
      const row = (id: string, body: string) => ({
        incident_id: id,
        title: id,
        status: 'resolved',
        opened_at: new Date('2026-11-25T08:00:00.000Z'),
        document: '{}',
        body,
        indexed_at: new Date(),
      });
      await knex('retrieval_documents').insert([
        row('inc-1', 'redis down redis'),
        row('inc-2', 'redis memory'),
      ]);
      await knex('retrieval_document_keys').insert([
        {
          incident_id: 'inc-1',
          kind: 'entity',
          value: 'resource:default/redis-cart',
        },
        {
          incident_id: 'inc-2',
          kind: 'entity',
          value: 'resource:default/redis-cart',
        },
        { incident_id: 'inc-2', kind: 'alert', value: 'RedisMemoryHigh' },
      ]);
      await knex.migrate.latest({ directory: migrationsDir });
      const counts = Object.fromEntries(
        (await knex('retrieval_terms').select('term', 'documents')).map(r => [
          r.term,
          Number(r.documents),
        ]),
      );
      expect(counts).toEqual({
        '': 2,
        redis: 2,
        down: 1,
        memory: 1,
        'e:resource:default/redis-cart': 2,
        'a:RedisMemoryHigh': 1,
      });
    },
  );

  it("keys the FTS5 rows of documents written before by the documents' rowid (SQLite)", async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.up({
      directory: migrationsDir,
      name: '20261203200000_documents.js',
    });
    for (const id of ['inc-1', 'inc-2'])
      await knex('retrieval_documents').insert({
        incident_id: id,
        title: id,
        status: 'resolved',
        opened_at: new Date('2026-11-25T08:00:00.000Z'),
        document: '{}',
        body: `words of ${id}`,
        indexed_at: new Date(),
      });
    // As the first version wrote them: the FTS table's own rowids, in another order.
    await knex('retrieval_documents_fts').insert([
      { rowid: 7, incident_id: 'inc-2', body: 'words of inc 2' },
      { rowid: 9, incident_id: 'inc-1', body: 'words of inc 1' },
    ]);
    await knex.migrate.latest({ directory: migrationsDir });
    const fts = await knex('retrieval_documents_fts')
      .select('rowid', 'incident_id')
      .orderBy('incident_id');
    const documents = await knex('retrieval_documents')
      .select('rowid', 'incident_id')
      .orderBy('incident_id');
    expect(fts).toEqual(documents);
    expect(fts).toHaveLength(2);
  });
});
