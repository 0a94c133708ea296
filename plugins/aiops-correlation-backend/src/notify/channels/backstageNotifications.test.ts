import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  CART_NARRATIVE,
  cartStorm,
  digestDelivery,
  incidentDelivery,
} from './__testUtils__/fixtures';
import { BackstageNotificationsChannel } from './backstageNotifications';

const GROUP = 'group:default/checkout-team';

/** Keeps what it is asked to send; throws `failure` instead when one is set. */
class RecordingNotifications implements NotificationService {
  sent: NotificationSendOptions[] = [];
  failure?: unknown;

  async send(options: NotificationSendOptions) {
    if (this.failure) throw this.failure;
    this.sent.push(options);
  }
}

function setup() {
  const notifications = new RecordingNotifications();
  return {
    notifications,
    channel: new BackstageNotificationsChannel({ notifications }),
  };
}

describe('BackstageNotificationsChannel', () => {
  it('starts the description with the template summary', async () => {
    const { notifications, channel } = setup();

    await channel.send(
      incidentDelivery(
        'backstage',
        GROUP,
        cartStorm({ narrative: CART_NARRATIVE }),
      ),
    );
    expect(notifications.sent[0].payload.description).toBe(
      [
        CART_NARRATIVE.summary,
        '• redis-cart alerted 2 min before its 3 dependents',
        '• cart was deployed 4 min before the first alert',
        'Root-cause candidate: redis-cart (first to alert; cart depends on it)',
        'Service: Cart · Owner: checkout-team',
      ].join('\n'),
    );
  });

  it('notifies the target entity of the incident, linking it relative to Backstage', async () => {
    const { notifications, channel } = setup();

    await expect(
      channel.send(incidentDelivery('backstage', GROUP)),
    ).resolves.toEqual({ outcome: 'delivered' });
    expect(notifications.sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: GROUP },
        payload: {
          title: 'Opened: [CRITICAL] Checkout errors on cart (checkout-team)',
          description: [
            '• redis-cart alerted 2 min before its 3 dependents',
            '• cart was deployed 4 min before the first alert',
            'Root-cause candidate: redis-cart (first to alert; cart depends on it)',
            'Service: Cart · Owner: checkout-team',
          ].join('\n'),
          link: '/aiops/incidents/inc-42',
          severity: 'critical',
          topic: 'aiops-incident',
          scope: 'aiops-incident:inc-42',
        },
      },
    ]);
  });

  it.each([
    ['critical', 'critical'],
    ['error', 'high'],
    ['warning', 'normal'],
    ['info', 'low'],
  ] as const)('maps severity %s to %s', async (severity, expected) => {
    const { notifications, channel } = setup();

    await channel.send(
      incidentDelivery('backstage', GROUP, cartStorm({ severity })),
    );
    expect(notifications.sent[0].payload.severity).toBe(expected);
  });

  it('keeps later changes of an incident in the one notification', async () => {
    const { notifications, channel } = setup();

    await channel.send(incidentDelivery('backstage', GROUP));
    await channel.send(
      incidentDelivery(
        'backstage',
        GROUP,
        cartStorm({
          change: 'resolved',
          headline: 'Resolved: [CRITICAL] Checkout errors on cart',
        }),
      ),
    );
    expect(notifications.sent.map(n => n.payload.scope)).toEqual([
      'aiops-incident:inc-42',
      'aiops-incident:inc-42',
    ]);
  });

  it('describes an incident without service, owner or suspect, and encodes its id in the link', async () => {
    const { notifications, channel } = setup();

    await channel.send(
      incidentDelivery(
        'backstage',
        'user:default/jane',
        cartStorm({
          incidentId: 'inc/42 x',
          service: undefined,
          owner: undefined,
          rootCause: undefined,
          findings: [],
        }),
      ),
    );
    expect(notifications.sent[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: 'user:default/jane' },
      payload: {
        description: 'Service: no service · Owner: no owner',
        link: '/aiops/incidents/inc%2F42%20x',
        scope: 'aiops-incident:inc/42 x',
      },
    });
  });

  it('keeps the title and description within what the notifications table stores', async () => {
    const { notifications, channel } = setup();

    await channel.send(
      incidentDelivery(
        'backstage',
        GROUP,
        cartStorm({
          headline: `Opened: ${'t'.repeat(400)}`,
          findings: [{ rule: 'r@1', summary: 's'.repeat(2000), confidence: 1 }],
        }),
      ),
    );
    const { title, description } = notifications.sent[0].payload;
    expect(title).toHaveLength(255);
    expect(title.endsWith('t…')).toBe(true);
    expect(description).toHaveLength(1000);
    expect(description?.endsWith('s…')).toBe(true);
  });

  it('sends a digest as one notification at its worst severity, linking the incident list', async () => {
    const { notifications, channel } = setup();

    await channel.send(
      digestDelivery('backstage', GROUP, [
        cartStorm({
          severity: 'warning',
          headline: 'Opened: [WARNING] Slow cart (checkout-team)',
        }),
        cartStorm({
          severity: 'error',
          headline: 'Opened: [ERROR] Cart errors (checkout-team)',
        }),
      ]),
    );
    expect(notifications.sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: GROUP },
        payload: {
          title: '2 incident changes for checkout-team',
          description:
            '• Opened: [WARNING] Slow cart (checkout-team)\n' +
            '• Opened: [ERROR] Cart errors (checkout-team)',
          link: '/aiops',
          severity: 'high',
          topic: 'aiops-incident',
          scope:
            'aiops-digest:group:default/checkout-team:2026-01-01T10:00:00.000Z',
        },
      },
    ]);
  });

  it('retries when the notifications service throws, with its message', async () => {
    const { notifications, channel } = setup();
    notifications.failure = new Error('connect ECONNREFUSED 127.0.0.1:7007');

    await expect(
      channel.send(incidentDelivery('backstage', GROUP)),
    ).resolves.toEqual({
      outcome: 'retry',
      error: 'connect ECONNREFUSED 127.0.0.1:7007',
    });
  });
});
