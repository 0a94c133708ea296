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
});
