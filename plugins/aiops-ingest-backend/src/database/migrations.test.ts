import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath('@aiops/plugin-aiops-ingest-backend', 'migrations');
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('aiops-ingest migrations', () => {
  it.each(databases.eachSupportedId())('migrate up and down with data on %s', async databaseId => {
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

    await knex.migrate.rollback({ directory: migrationsDir }, true);
    expect(await knex.schema.hasTable('alerts')).toBe(false);
    expect(await knex.schema.hasTable('metric_rollups')).toBe(false);

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await knex('alerts')).toEqual([]);
  });
});
