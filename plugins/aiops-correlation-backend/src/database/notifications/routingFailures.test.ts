import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { cartIncident } from '../../service/routing/__testUtils__/routingFixtures';
import { DatabaseIncidentStore } from '../DatabaseIncidentStore';
import { DatabaseNotificationStore } from '../DatabaseNotificationStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const RATE = { maxPerWindow: 20, windowMs: 600_000 };

describe.each(databases.eachSupportedId())(
  'routing failures on %p',
  databaseId => {
    let knex: Knex;
    let incidents: DatabaseIncidentStore;
    let store: DatabaseNotificationStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      incidents = await DatabaseIncidentStore.create({ database });
      store = await DatabaseNotificationStore.create({ database });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    /** Opens the incidents, then acknowledges and resolves each: three changes per incident. */
    const record = async (...ids: string[]) => {
      await incidents.applyDecisions(
        ids.map(id => ({
          type: 'open-incident' as const,
          incident: cartIncident({
            id,
            correlationKey: `key-${id}`,
            openedAt: at(0),
          }),
          rule: 'group-key@1',
        })),
        { now: at(0) },
      );
      for (const id of ids) {
        await incidents.acknowledge(id, 'user:default/jo', at(1));
        await incidents.resolve(id, 'user:default/jo', at(2));
      }
      return (await store.changeFeed('0', 100)).items.map(
        ({ item, cursor }) => ({ change: item.change, cursor }),
      );
    };
    const listed = (feed: { items: Array<{ item: { id: string } }> }) =>
      feed.items.map(({ item }) => item.id);
    const route = (change: Parameters<typeof store.recordRoute>[0]) =>
      store.recordRoute(change, [], { now: at(3), rateLimit: RATE });

    it('reads the changes not routed yet, without those waiting behind one left at or before the cursor', async () => {
      const changes = await record('inc-a', 'inc-b');
      const [openA, openB, ackA, resolveA, ackB, resolveB] = changes.map(
        c => c.change,
      );
      expect(changes.map(c => [c.change.incidentId, c.change.kind])).toEqual([
        ['inc-a', 'opened'],
        ['inc-b', 'opened'],
        ['inc-a', 'acknowledged'],
        ['inc-a', 'resolved'],
        ['inc-b', 'acknowledged'],
        ['inc-b', 'resolved'],
      ]);
      expect(listed(await store.unroutedChanges('0', 10))).toEqual(
        changes.map(c => c.change.id),
      );

      // inc-a's opening was left; inc-b's was routed.
      await route(openB);
      const afterOpenings = changes[1].cursor;
      expect(listed(await store.unroutedChanges(afterOpenings, 10))).toEqual([
        ackB.id,
        resolveB.id,
      ]);
      // Read from before inc-a's opening, its changes come again, with it.
      expect(listed(await store.unroutedChanges('0', 10))).toEqual([
        openA.id,
        ackA.id,
        resolveA.id,
        ackB.id,
        resolveB.id,
      ]);
      const page = await store.unroutedChanges('0', 2);
      expect(listed(page)).toEqual([openA.id, ackA.id]);
      expect(page.cursor).toBe(changes[2].cursor);
      expect(await store.unroutedChanges(changes[5].cursor, 10)).toEqual({
        items: [],
        cursor: changes[5].cursor,
      });
    });

    it('keeps since when a change has failed and how often, and gives it up with a timeline entry once', async () => {
      const [{ change }] = await record('inc-a');
      expect(
        await store.recordRoutingFailure(change.id, {
          at: at(3),
          error: 'Error: catalog unavailable',
        }),
      ).toEqual({ since: at(3), failures: 1 });
      expect(
        await store.recordRoutingFailure(change.id, {
          at: at(33),
          error: `Error: ${'x'.repeat(2_000)}`,
        }),
      ).toEqual({ since: at(3), failures: 2 });
      const [{ routing_error: kept }] = await knex('incident_changes')
        .where('change_id', change.id)
        .select('routing_error');
      expect(kept).toHaveLength(1_000);
      expect(
        await store.recordRoutingFailure(change.id, {
          at: at(63),
          error: 'Error: catalog unavailable',
        }),
      ).toEqual({ since: at(3), failures: 3 });

      expect(await store.giveUpRouting(change, { at: at(64) })).toBe(true);
      expect(await store.giveUpRouting(change, { at: at(65) })).toBe(false);
      expect(
        await store.recordRoutingFailure(change.id, { at: at(66), error: '' }),
      ).toBeUndefined();
      // Given up, it is routed with no messages: routing it again stores nothing.
      expect(await route(change)).toEqual([]);
      expect(
        await knex('notification_deliveries').where('change_id', change.id),
      ).toEqual([]);
      expect(
        listed(await store.unroutedChanges('0', 10)).includes(change.id),
      ).toBe(false);

      const details = await incidents.getIncident('inc-a');
      const entries = details!.timeline.filter(
        entry => entry.action === 'notification-unroutable',
      );
      expect(entries).toEqual([
        expect.objectContaining({
          kind: 'notification',
          actor: 'system',
          at: at(64),
          summary:
            'Nobody was notified of the change "opened": routing it failed 3 time(s) over 61 minute(s) and was given up (last error: Error: catalog unavailable). The incident\'s later changes are routed.',
        }),
      ]);
    });

    it('records nothing for a change routed meanwhile', async () => {
      const [{ change }] = await record('inc-a');
      await route(change);
      expect(
        await store.recordRoutingFailure(change.id, { at: at(3), error: 'x' }),
      ).toBeUndefined();
      expect(await store.giveUpRouting(change, { at: at(3) })).toBe(false);
    });
  },
);
