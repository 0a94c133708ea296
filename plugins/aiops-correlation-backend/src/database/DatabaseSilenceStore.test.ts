import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import type { SilenceSpec } from '../service/silenceSchedule';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabaseSilenceStore } from './DatabaseSilenceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const OPS = 'user:default/ops';

/** Saturdays 02:00–04:00 UTC from 2026-11-28, forever. */
const weekly: SilenceSpec = {
  matchers: [{ name: 'entity', op: '=', value: 'component:default/cart' }],
  startsAt: '2026-11-28T02:00:00.000Z',
  endsAt: '2026-11-28T04:00:00.000Z',
  rrule: 'FREQ=WEEKLY;BYDAY=SA',
  comment: 'Weekly cart database maintenance',
};

const oneOff = (startsAt: string, endsAt: string): SilenceSpec => ({
  matchers: [{ name: 'env', op: '=~', value: 'staging|qa' }],
  startsAt,
  endsAt,
  comment: `one-off ${startsAt}`,
});

describe.each(databases.eachSupportedId())(
  'DatabaseSilenceStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      // Both stores of the plugin migrate the same database at start-up.
      const [store] = await Promise.all([
        DatabaseSilenceStore.create({ database }),
        DatabaseIncidentStore.create({ database }),
      ]);
      return { knex, store };
    }

    it('creates, gets and lists silences newest first, page by page', async () => {
      const { store } = await createStore();
      const first = await store.create(weekly, OPS, '2026-11-20T09:00:00Z');
      expect(first).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ...weekly,
        createdBy: OPS,
        createdAt: '2026-11-20T09:00:00.000Z',
      });
      expect(await store.get(first.id)).toEqual(first);
      expect(await store.get('unknown')).toBeUndefined();

      const counted = await store.create(
        { ...weekly, rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=2' },
        OPS,
        '2026-11-21T09:00:00Z',
      );
      expect(counted.expiresAt).toBe('2026-12-05T04:00:00.000Z');
      const single = await store.create(
        oneOff('2026-11-25T00:00:00Z', '2026-11-25T06:00:00Z'),
        OPS,
        '2026-11-22T09:00:00Z',
      );
      expect(single).toMatchObject({
        expiresAt: '2026-11-25T06:00:00.000Z',
      });
      expect(single.rrule).toBeUndefined();

      const page1 = await store.list({ limit: 2 });
      expect(page1.items.map(s => s.id)).toEqual([single.id, counted.id]);
      const page2 = await store.list({ limit: 2, cursor: page1.nextCursor });
      expect(page2).toEqual({ items: [first], nextCursor: undefined });
      await expect(store.list({ limit: 2, cursor: 'nope' })).rejects.toThrow(
        InputError,
      );

      // At 2026-12-10 the one-off and the counted series are over.
      expect(
        (await store.list({ at: '2026-12-10T00:00:00Z', limit: 10 })).items,
      ).toEqual([first]);
    });

    it('validates what it stores', async () => {
      const { store } = await createStore();
      await expect(
        store.create({ ...weekly, comment: '' }, OPS, '2026-11-20T09:00:00Z'),
      ).rejects.toThrow('comment must be a non-empty string');
    });

    it('expires a silence once and keeps it out of the active listing', async () => {
      const { store } = await createStore();
      const silence = await store.create(weekly, OPS, '2026-11-20T09:00:00Z');

      const expired = await store.expire(
        silence.id,
        'user:default/lead',
        '2026-12-05T03:00:00Z',
      );
      expect(expired).toEqual({
        ...silence,
        expiredAt: '2026-12-05T03:00:00.000Z',
        expiredBy: 'user:default/lead',
      });
      // A retry changes nothing.
      expect(
        await store.expire(silence.id, OPS, '2026-12-06T00:00:00Z'),
      ).toEqual(expired);
      await expect(
        store.expire('unknown', OPS, '2026-12-06T00:00:00Z'),
      ).rejects.toThrow(NotFoundError);

      expect((await store.list({ limit: 10 })).items).toEqual([]);
      expect(
        (await store.list({ limit: 10, includeExpired: true })).items,
      ).toEqual([expired]);
      expect(
        (
          await store.list({
            limit: 10,
            includeExpired: true,
            at: '2026-12-01T00:00:00Z',
          })
        ).items,
      ).toEqual([expired]);
      expect(
        (
          await store.list({
            limit: 10,
            includeExpired: true,
            at: '2026-12-05T03:00:00Z',
          })
        ).items,
      ).toEqual([]);
    });

    it('lists the silences that may have windows in a range', async () => {
      const { store } = await createStore();
      const forever = await store.create(weekly, OPS, '2026-11-20T09:00:00Z');
      const past = await store.create(
        oneOff('2026-11-21T00:00:00Z', '2026-11-21T06:00:00Z'),
        OPS,
        '2026-11-20T09:00:00Z',
      );
      const future = await store.create(
        oneOff('2026-12-24T00:00:00Z', '2026-12-27T00:00:00Z'),
        OPS,
        '2026-11-20T09:00:00Z',
      );
      const stopped = await store.create(
        oneOff('2026-11-30T00:00:00Z', '2026-12-10T00:00:00Z'),
        OPS,
        '2026-11-20T09:00:00Z',
      );
      await store.expire(stopped.id, OPS, '2026-12-02T00:00:00Z');

      const ids = async (from: string, to: string) =>
        (await store.listActive(from, to)).map(s => s.id).sort();
      expect(await ids('2026-12-01T00:00:00Z', '2026-12-08T00:00:00Z')).toEqual(
        [forever.id, stopped.id].sort(),
      );
      expect(await ids('2026-12-03T00:00:00Z', '2026-12-25T00:00:00Z')).toEqual(
        [forever.id, future.id].sort(),
      );
      expect(await ids('2026-11-21T05:00:00Z', '2026-11-21T06:00:00Z')).toEqual(
        [past.id],
      );
      // The one-off ends exactly where the range starts; the weekly one starts after it ends.
      expect(await ids('2026-11-21T06:00:00Z', '2026-11-28T02:00:00Z')).toEqual(
        [],
      );
    });
  },
);
