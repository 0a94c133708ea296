import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { Incident } from '@aiops/plugin-aiops-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DatabaseIncidentStore } from '../database/DatabaseIncidentStore';
import { DatabaseNotificationStore } from '../database/DatabaseNotificationStore';
import {
  cartIncident,
  demoIndex,
} from '../service/routing/__testUtils__/routingFixtures';
import { readNotificationSettings } from './config';
import { Notifier } from './Notifier';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const minute = (m: number) => new Date(T0 + m * 60_000);

const slackPosts: Array<{ channel: string; text: string }> = [];
const server = setupServer(
  http.post('https://slack.com/api/chat.postMessage', async ({ request }) => {
    slackPosts.push(
      (await request.json()) as { channel: string; text: string },
    );
    return HttpResponse.json({ ok: true });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const settings = readNotificationSettings(
  new ConfigReader({
    app: { baseUrl: 'http://backstage.example' },
    aiops: {
      routing: {
        fallbackGroup: 'platform-team',
        slack: { botToken: 'xoxb-test' },
        escalationPolicies: [
          {
            name: 'checkout-critical',
            steps: [
              { after: { minutes: 10 }, notify: ['parent'] },
              { after: 'PT30M', notify: ['user:ana.platform'] },
            ],
          },
        ],
      },
    },
  }),
);

describe.each(databases.eachSupportedId())(
  'escalation on %p, with a fake clock',
  databaseId => {
    /**
     * A notifier on real stores with a clock the test moves; Backstage notifications are recorded,
     * and refused for the groups in `refusing` (the notifications backend down for them).
     */
    async function setup() {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const incidents = await DatabaseIncidentStore.create({ database });
      const notifications = await DatabaseNotificationStore.create({
        database,
      });
      const notified: NotificationSendOptions[] = [];
      const refusing = new Set<string>();
      const clock = { now: minute(0) };
      const notifier = new Notifier({
        clock: () => clock.now,
        settings,
        incidents,
        notifications,
        catalog: async () => demoIndex(),
        backstageNotifications: {
          send: async options => {
            const ref =
              options.recipients.type === 'entity' &&
              String(options.recipients.entityRef);
            if (ref && refusing.has(ref)) throw new Error('unavailable');
            notified.push(options);
          },
        },
        logger: mockServices.logger.mock(),
      });
      slackPosts.length = 0;
      const recipients = () =>
        notified
          .splice(0)
          .map(n => n.recipients.type === 'entity' && n.recipients.entityRef);
      const incident: Incident = cartIncident({
        openedAt: minute(0).toISOString(),
      });
      await incidents.applyDecisions(
        [{ type: 'open-incident', incident, rule: 'group-key@1' }],
        { now: minute(0).toISOString() },
      );
      const runAt = async (m: number) => {
        clock.now = minute(m);
        await notifier.run();
      };
      return {
        incidents,
        notifications,
        incident,
        refusing,
        recipients,
        runAt,
      };
    }

    it('escalates an unacknowledged incident step by step and stops once it is acknowledged', async () => {
      const { incidents, incident, recipients, runAt } = await setup();
      // The team is told at once; escalation delays count from then.
      await runAt(0);
      expect(recipients()).toEqual(['group:default/checkout-team']);
      expect(slackPosts.splice(0).map(p => p.channel)).toEqual([
        '#cart-alerts',
      ]);

      await runAt(9);
      expect(recipients()).toEqual([]);

      // Ten minutes unacknowledged: the checkout team's parent group hears of it.
      await runAt(10);
      expect(recipients()).toEqual(['group:default/acme']);
      const details = await incidents.getIncident(incident.id);
      expect(
        details?.timeline.filter(e => e.kind === 'escalation'),
      ).toMatchObject([
        {
          at: minute(10).toISOString(),
          actor: 'system',
          summary:
            'Not acknowledged after 10 min: escalated to the parent group (step 1 of 2, policy "checkout-critical")',
        },
      ]);
      expect(recipients()).toEqual([]);

      await incidents.acknowledge(
        incident.id,
        'user:default/jo.checkout',
        minute(12).toISOString(),
      );
      await runAt(31);
      // The acknowledgement reaches everyone told so far; the second step never comes.
      expect(recipients().sort()).toEqual([
        'group:default/acme',
        'group:default/checkout-team',
      ]);
      expect(slackPosts.map(p => p.channel)).toEqual(['#cart-alerts']);
      await runAt(60);
      expect(recipients()).toEqual([]);
      expect(
        (await incidents.getIncident(incident.id))?.timeline.filter(
          e => e.kind === 'escalation',
        ),
      ).toHaveLength(1);
    });

    it('leaves an escalation unsent that waited while someone acknowledged', async () => {
      const {
        incidents,
        notifications,
        incident,
        refusing,
        recipients,
        runAt,
      } = await setup();
      await runAt(0);
      recipients();
      // The parent group's notification fails at first and waits for its retry.
      refusing.add('group:default/acme');
      await runAt(10);
      expect(recipients()).toEqual([]);
      await incidents.acknowledge(
        incident.id,
        'user:default/jo.checkout',
        minute(11).toISOString(),
      );
      refusing.clear();
      await runAt(12);
      await runAt(13);
      expect(recipients().sort()).toEqual([
        // The acknowledgement, to everyone told or tried so far.
        'group:default/acme',
        'group:default/checkout-team',
      ]);
      const escalations = (
        await notifications.listDeliveries({
          incidentId: incident.id,
          limit: 20,
        })
      ).items.filter(d => d.message?.change === 'escalated');
      expect(escalations.map(d => d.status)).toEqual(['cancelled']);
      expect(
        (await incidents.getIncident(incident.id))?.timeline.some(
          e => e.action === 'notification-cancelled',
        ),
      ).toBe(true);
    });
  },
);
