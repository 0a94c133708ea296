import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
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
    aiops: { routing: { fallbackGroup: 'platform-team' } },
  }),
);

describe.each(databases.eachSupportedId())(
  'routing from the change feed on %p',
  databaseId => {
    it('routes each change once after replicas were down while 200 changes were recorded', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const incidents = await DatabaseIncidentStore.create({ database });
      const notifications = await DatabaseNotificationStore.create({
        database,
      });
      /** How often each incident was routed: the catalog is asked once per routed change. */
      const routed = new Map<string, number>();
      const replica = () =>
        new Notifier({
          clock: () => new Date(at(30)),
          settings,
          incidents,
          notifications,
          catalog: async entityRefs => {
            for (const ref of entityRefs ?? []) {
              if (ref.startsWith('component:')) {
                const id = ref.slice('component:default/'.length);
                routed.set(id, (routed.get(id) ?? 0) + 1);
              }
            }
            return demoIndex();
          },
          backstageNotifications: { send: async () => {} },
          logger: mockServices.logger.mock(),
        });
      const open = (from: number, count: number) =>
        incidents.applyDecisions(
          Array.from({ length: count }, (_, i) => ({
            type: 'open-incident' as const,
            incident: cartIncident({
              id: `inc-${from + i}`,
              correlationKey: `key-${from + i}`,
              // Each incident routed by an entity of its own, to count its routes.
              primaryEntityRef: `component:default/inc-${from + i}`,
              openedAt: at(0),
            }),
            rule: 'group-key@1',
          })),
          { now: at(0) },
        );

      await open(0, 5);
      const before = replica();
      await before.run();
      await before.stop();
      expect(routed.size).toBe(5);

      await open(5, 200);
      const [a, b] = [replica(), replica()];
      await Promise.all([a.run(), b.run(), a.run()]);

      expect(routed.size).toBe(205);
      expect([...new Set(routed.values())]).toEqual([1]);
      const [{ n: unrouted }] = await knex('incident_changes')
        .whereNull('routed_at')
        .count({ n: '*' });
      expect(Number(unrouted)).toBe(0);
      const [{ n: told }] = await knex('notification_deliveries')
        .where('kind', 'message')
        .countDistinct({ n: 'change_id' });
      expect(Number(told)).toBe(205);
    });
  },
);
