import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { emptyCorrelationState } from '../service/correlate';
import { DatabaseCheckpointStore } from './CheckpointStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'DatabaseCheckpointStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseCheckpointStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return { knex, store };
    }

    const state = {
      ...emptyCorrelationState(),
      prunedAt: 1_796_000_000_000,
      deployments: [],
    };

    it('keeps the furthest checkpoint, compressed', async () => {
      const { knex, store } = await createStore();
      expect(await store.load()).toBeUndefined();
      const json = JSON.stringify(state);
      await store.save(
        { alertCursor: '7', deploymentCursor: '2', state: json },
        '2026-12-02T00:00:00.000Z',
      );
      // A replica behind on the alert feed does not replace it.
      await store.save(
        { alertCursor: '5', deploymentCursor: '3', state: '{}' },
        '2026-12-02T00:00:01.000Z',
      );
      expect(await store.load()).toEqual({
        alertCursor: '7',
        deploymentCursor: '2',
        state,
      });
      const [row] = await knex('correlation_checkpoints');
      expect(row.state.startsWith('gzip:')).toBe(true);
      expect(row.state).not.toContain('prunedAt');
    });

    it('loads a checkpoint saved before compression', async () => {
      const { knex, store } = await createStore();
      await knex('correlation_checkpoints').insert({
        id: 'default',
        alert_cursor: 3,
        deployment_cursor: 1,
        state: JSON.stringify(state),
        saved_at: new Date('2026-11-30T00:00:00.000Z'),
      });
      expect(await store.load()).toEqual({
        alertCursor: '3',
        deploymentCursor: '1',
        state,
      });
    });
  },
);
