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
      // Up to the stemmed index, with a document in it; then the exact-terms migration.
      for (const name of [
        '20261203200000_documents.js',
        '20261203210000_fts_rowid.js',
        '20261203220000_term_counts.js',
      ])
        await knex.migrate.up({ directory: migrationsDir, name });
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
      if (!postgres)
        await knex.raw(
          `INSERT INTO retrieval_documents_fts (rowid, incident_id, body)
             SELECT rowid, incident_id, body FROM retrieval_documents`,
        );
      await knex.migrate.latest({ directory: migrationsDir });

      // The lexical index each database has now matches the tokens exactly: a tsvector of
      // the `simple` configuration in its own table, or the FTS5 table with unicode61 alone.
      const matching = async (term: string) =>
        postgres
          ? (
              await knex.raw(
                `SELECT incident_id FROM retrieval_lexical
                 WHERE body_tsv @@ to_tsquery('simple', ?)`,
                [term],
              )
            ).rows
          : await knex.raw(
              `SELECT incident_id FROM retrieval_documents_fts WHERE retrieval_documents_fts MATCH ?`,
              [term],
            );
      expect(await matching('memory')).toEqual([{ incident_id: 'inc-1' }]);
      expect(await matching('memories')).toEqual([]);
      const [row] = await knex('retrieval_documents').select('vector');
      expect([...row.vector]).toEqual([0, 0, 0x80, 0x3f]);

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      expect(await knex.schema.hasTable('retrieval_documents')).toBe(false);
      expect(await knex.schema.hasTable('retrieval_document_keys')).toBe(false);
      expect(await knex.schema.hasTable('retrieval_documents_fts')).toBe(false);
      expect(await knex.schema.hasTable('retrieval_lexical')).toBe(false);

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
