import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Knex } from 'knex';
import { DatabaseIncidentStore } from '../database/DatabaseIncidentStore';
import { DatabaseNotificationStore } from '../database/DatabaseNotificationStore';
import {
  cartIncident,
  demoIndex,
} from '../service/routing/__testUtils__/routingFixtures';
import { readNotificationSettings } from './config';
import { Notifier } from './Notifier';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const settings = readNotificationSettings(
  new ConfigReader({
    app: { baseUrl: 'http://backstage.example' },
    aiops: {
      routing: { fallbackGroup: 'platform-team', routingRetryLimit: 'PT1H' },
    },
  }),
);

/** Incident A's primary entity: the catalog lookup routing makes for it throws (see below). */
const POISON = 'component:default/inc-a';

describe.each(databases.eachSupportedId())(
  'a change that keeps failing to route, on %p',
  databaseId => {
    /**
     * Notifiers on real stores with a clock the test moves. Routing incident A's `opened` change
     * throws every time: the catalog lookup for A's entity fails as long as that change is not
     * routed (a poison change; its incident's later changes would route). Catalog lookups are
     * counted per incident: one per attempt to route one of its changes.
     */
    async function setup() {
      const knex: Knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const incidents = await DatabaseIncidentStore.create({ database });
      const notifications = await DatabaseNotificationStore.create({
        database,
      });
      const clock = { now: new Date(at(0)) };
      const lookups = new Map<string, number>();
      const logger = mockServices.logger.mock();
      const openedOfA = () =>
        knex('incident_changes')
          .where({ incident_id: 'inc-a', kind: 'opened' })
          .first('change_id', 'seq', 'routed_at', 'routing_failures');
      const notifier = () =>
        new Notifier({
          clock: () => clock.now,
          settings,
          incidents,
          notifications,
          catalog: async entityRefs => {
            for (const ref of entityRefs ?? []) {
              if (!ref.startsWith('component:default/inc-')) continue;
              const id = ref.slice('component:default/'.length);
              lookups.set(id, (lookups.get(id) ?? 0) + 1);
              if (ref === POISON && !(await openedOfA())?.routed_at) {
                throw new Error('catalog lookup failed for inc-a');
              }
            }
            return demoIndex();
          },
          backstageNotifications: { send: async () => {} },
          logger,
        });
      const open = (...ids: string[]) =>
        incidents.applyDecisions(
          ids.map(id => ({
            type: 'open-incident' as const,
            incident: cartIncident({
              id,
              correlationKey: `key-${id}`,
              primaryEntityRef: `component:default/${id}`,
              openedAt: clock.now.toISOString(),
            }),
            rule: 'group-key@1',
          })),
          { now: clock.now.toISOString() },
        );
      /** Each change by incident and kind, with how many messages routing made of it. */
      const routed = async () => {
        const rows: Array<{
          incident_id: string;
          kind: string;
          routed_at: unknown;
          messages: unknown;
        }> = await knex('incident_changes as c')
          .leftJoin(
            'notification_deliveries as d',
            'd.change_id',
            'c.change_id',
          )
          .groupBy('c.change_id', 'c.incident_id', 'c.kind', 'c.routed_at')
          .orderBy('c.seq')
          .select('c.incident_id', 'c.kind', 'c.routed_at')
          .count({ messages: 'd.id' });
        return rows.map(row => [
          row.incident_id,
          row.kind,
          row.routed_at ? Number(row.messages) : 'waiting',
        ]);
      };
      const consumerCursor = async () =>
        (
          await knex('aiops_feed_consumers')
            .where('name', 'aiops-notification-routing')
            .first('cursor')
        ).cursor;
      return {
        knex,
        incidents,
        notifications,
        clock,
        lookups,
        logger,
        notifier,
        open,
        routed,
        openedOfA,
        consumerCursor,
      };
    }

    it("holds back only its incident's later changes, survives a restart, and is given up after the retry limit", async () => {
      const t = await setup();
      const first = t.notifier();
      const minute = async (m: number, notifier = first) => {
        t.clock.now = new Date(at(m));
        await notifier.run();
      };

      await t.open('inc-a', 'inc-b');
      await minute(0);
      // B is routed in the same run as A's failure.
      expect(await t.routed()).toEqual([
        ['inc-a', 'opened', 'waiting'],
        ['inc-b', 'opened', 1],
      ]);

      t.clock.now = new Date(at(1));
      await t.incidents.acknowledge('inc-a', 'user:default/jo', at(1));
      await t.incidents.acknowledge('inc-b', 'user:default/jo', at(1));
      await minute(1);
      // A's acknowledgement waits for its opening, untried; B's goes out.
      expect(await t.routed()).toEqual([
        ['inc-a', 'opened', 'waiting'],
        ['inc-b', 'opened', 1],
        ['inc-a', 'acknowledged', 'waiting'],
        ['inc-b', 'acknowledged', 1],
      ]);
      expect(Object.fromEntries(t.lookups)).toEqual({ 'inc-a': 2, 'inc-b': 2 });
      const opened = await t.openedOfA();
      expect(Number(opened.routing_failures)).toBe(2);
      // The cursor stays just before A's opening: a restart begins there.
      expect(await t.consumerCursor()).toBe(String(Number(opened.seq) - 1));
      expect(t.logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Routing change \S+ \(opened\) of incident inc-a failed \(1 time\(s\) since 2026-11-25T10:00:00.000Z\); the incident's later changes wait for it: Error: catalog lookup failed for inc-a$/,
        ),
      );

      // A restart, while A still fails and B resolves.
      await first.stop();
      const second = t.notifier();
      t.clock.now = new Date(at(30));
      await t.incidents.resolve('inc-b', 'user:default/jo', at(30));
      // Its announcement routes it at once, without trying A's opening again.
      await second.changeAnnounced(
        (await t.notifications.changeCursor('inc-b'))!,
      );
      expect(await t.routed()).toContainEqual(['inc-b', 'resolved', 1]);
      expect(Object.fromEntries(t.lookups)).toEqual({ 'inc-a': 2, 'inc-b': 3 });
      await minute(30, second);
      await minute(31, second);
      expect(await t.routed()).toEqual([
        ['inc-a', 'opened', 'waiting'],
        ['inc-b', 'opened', 1],
        ['inc-a', 'acknowledged', 'waiting'],
        ['inc-b', 'acknowledged', 1],
        ['inc-b', 'resolved', 1],
      ]);
      // Nothing routed twice: B's routed changes are not read again for A's sake.
      expect(Object.fromEntries(t.lookups)).toEqual({ 'inc-a': 4, 'inc-b': 3 });
      expect(t.logger.error).not.toHaveBeenCalled();
      expect(second.problems.list()).toEqual([]);

      // Failing since minute 0, at minute 60 it is given up: A's acknowledgement goes out.
      await minute(59, second);
      expect(await t.routed()).toContainEqual(['inc-a', 'opened', 'waiting']);
      await minute(60, second);
      expect(await t.routed()).toEqual([
        ['inc-a', 'opened', 0],
        ['inc-b', 'opened', 1],
        ['inc-a', 'acknowledged', 1],
        ['inc-b', 'acknowledged', 1],
        ['inc-b', 'resolved', 1],
      ]);
      expect(Object.fromEntries(t.lookups)).toEqual({ 'inc-a': 7, 'inc-b': 3 });
      const message = expect.stringMatching(
        /^Gave up routing change \S+ \(opened\) of incident inc-a after 6 failure\(s\) since 2026-11-25T10:00:00.000Z \(aiops.routing.routingRetryLimit\); nobody was notified of it. Last error: Error: catalog lookup failed for inc-a$/,
      );
      expect(t.logger.error).toHaveBeenCalledTimes(1);
      expect(t.logger.error).toHaveBeenCalledWith(message);
      expect(second.problems.list()).toEqual([
        expect.objectContaining({
          key: 'unroutable:inc-a',
          incidentId: 'inc-a',
          message,
          count: 1,
        }),
      ]);
      const { timeline } = (await t.incidents.getIncident('inc-a'))!;
      expect(
        timeline
          .filter(entry => entry.action === 'notification-unroutable')
          .map(entry => [entry.kind, entry.at, entry.summary]),
      ).toEqual([
        [
          'notification',
          at(60),
          'Nobody was notified of the change "opened": routing it failed 6 time(s) over 60 minute(s) and was given up (last error: Error: catalog lookup failed for inc-a). The incident\'s later changes are routed.',
        ],
      ]);
      expect(await t.consumerCursor()).toBe(
        String(
          Number((await t.knex('incident_changes').max({ seq: 'seq' }))[0].seq),
        ),
      );

      // Later runs, and another restart, route nothing again.
      await minute(61, second);
      await second.stop();
      await minute(62, t.notifier());
      expect(Object.fromEntries(t.lookups)).toEqual({ 'inc-a': 7, 'inc-b': 3 });
    });
  },
);
