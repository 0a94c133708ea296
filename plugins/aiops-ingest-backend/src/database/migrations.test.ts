import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@aiops/plugin-aiops-ingest-backend',
  'migrations',
);
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('aiops-ingest migrations', () => {
  it.each(databases.eachSupportedId())(
    'migrate up and down with data on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });

      expect(await knex('feed_counters').orderBy('feed')).toEqual([
        { feed: 'alerts', value: expect.anything() },
        { feed: 'deployments', value: expect.anything() },
      ]);
      await knex('alerts').insert({
        id: 'a1',
        source: 'alertmanager',
        fingerprint: 'fp',
        status: 'firing',
        severity: 'critical',
        title: 'HighErrorRate',
        labels: '{}',
        annotations: '{}',
        resolution: '{"status":"unowned","reason":"test"}',
        starts_at: '2026-11-25T08:00:00.000Z',
        first_seen_at: '2026-11-25T08:00:00.000Z',
        last_seen_at: '2026-11-25T08:00:00.000Z',
        delivery_count: 1,
        seq: 1,
      });
      await knex('metric_rollups').insert({
        entity_key: 'component:default/cart',
        metric: 'span.duration_ms',
        minute: Date.parse('2026-11-25T08:00:00.000Z'),
        count: 1,
        sum: 20,
        min: 20,
        max: 20,
      });
      expect(await knex('alerts').select('id')).toEqual([{ id: 'a1' }]);
      expect(await knex.schema.hasColumn('deployments', 'summary')).toBe(true);

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      expect(await knex.schema.hasTable('alerts')).toBe(false);
      expect(await knex.schema.hasTable('metric_rollups')).toBe(false);

      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex('alerts')).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'adds and drops the deployments summary column, keeping the deployments, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      await knex('deployments').insert({
        id: 'd1',
        source: 'pagerduty-change',
        external_id: 'pagerduty-change:1',
        resolution: '{"status":"unowned","reason":"test"}',
        labels: '{}',
        environment: 'production',
        version: '4.2',
        status: 'succeeded',
        started_at: '2026-11-25T08:00:00.000Z',
        received_at: '2026-11-25T08:00:01.000Z',
        seq: 1,
        summary: 'The application was deployed',
      });

      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasColumn('deployments', 'summary')).toBe(false);
      expect(await knex('deployments').select('id', 'version')).toEqual([
        { id: 'd1', version: '4.2' },
      ]);

      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex('deployments').select('id', 'summary')).toEqual([
        { id: 'd1', summary: null },
      ]);
    },
  );
});
