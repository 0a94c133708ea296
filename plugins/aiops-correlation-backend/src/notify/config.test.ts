import { ConfigReader } from '@backstage/config';
import { readNotificationSettings } from './config';

describe('readNotificationSettings', () => {
  it('has working defaults without any configuration', () => {
    const settings = readNotificationSettings(new ConfigReader({}));
    expect(settings.problems).toEqual([]);
    expect(settings.routing).toMatchObject({
      fallbackGroup: undefined,
      groups: {},
      slack: { botToken: false, webhook: false },
      rateLimit: { maxPerWindow: 20, windowMs: 600_000 },
    });
    expect(settings.delivery).toEqual({
      intervalMs: 5_000,
      maxAttempts: 8,
      backoff: { initialMs: 10_000, maxMs: 1_800_000 },
      batchSize: 50,
      leaseMs: 120_000,
      routingRetryLimitMs: 3_600_000,
    });
  });

  it('reads groups, policies and channels, with short refs made full', () => {
    const settings = readNotificationSettings(
      new ConfigReader({
        aiops: {
          routing: {
            fallbackGroup: 'platform-team',
            slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/X' },
            webhooks: [
              { name: 'ops', url: 'https://ops.example', secret: 's' },
            ],
            groups: [
              {
                group: 'Checkout-Team',
                minSeverity: 'warning',
                pageSeverity: 'error',
                webhooks: ['ops'],
                quietHours: {
                  start: '22:00',
                  end: '07:00',
                  timeZone: 'Europe/Berlin',
                },
              },
            ],
            escalationPolicies: [
              {
                name: 'p',
                steps: [
                  {
                    after: 'PT30M',
                    notify: ['user:ana', 'group:default/acme'],
                  },
                  { after: { minutes: 5 }, notify: ['parent'] },
                ],
              },
            ],
          },
        },
      }),
    );
    expect(settings.problems).toEqual([]);
    expect(settings.routing.fallbackGroup).toBe('group:default/platform-team');
    expect(settings.routing.groups['group:default/checkout-team']).toEqual({
      group: 'group:default/checkout-team',
      minSeverity: 'warning',
      pageSeverity: 'error',
      webhooks: ['ops'],
      quietHours: {
        startMinute: 1320,
        endMinute: 420,
        timeZone: 'Europe/Berlin',
        minSeverity: 'critical',
      },
      slackChannel: undefined,
      pagerDutyIntegrationKey: undefined,
      escalationPolicy: undefined,
    });
    // Steps in the order they fall due.
    expect(settings.routing.escalationPolicies.p.steps).toEqual([
      { afterMs: 300_000, notify: [{ type: 'parent' }] },
      {
        afterMs: 1_800_000,
        notify: [
          { type: 'user', ref: 'user:default/ana' },
          { type: 'group', ref: 'group:default/acme' },
        ],
      },
    ]);
    expect(settings.routing.slack).toEqual({ botToken: false, webhook: true });
    expect(settings.channels.webhooks).toEqual({
      ops: { url: 'https://ops.example', secret: 's' },
    });
  });

  it('reports every mistake and falls back instead of throwing', () => {
    const settings = readNotificationSettings(
      new ConfigReader({
        aiops: {
          routing: {
            slack: { webhookUrl: 'hooks.slack.com/no-scheme' },
            webhooks: [{ name: 'ops' }, { name: 'bad', url: 'ftp://x' }],
            groups: [
              { group: 'a', minSeverity: 'loud', escalationPolicy: 'nope' },
              { group: 42 },
              { group: 'b', quietHours: { start: '25:00', end: '07:00' } },
            ],
            escalationPolicies: [{ steps: [] }],
            rateLimit: { maxPerWindow: -1 },
            delivery: { interval: 'soon', maxAttempts: 'many' },
          },
        },
      }),
    );
    expect(settings.problems.map(p => p.key)).toEqual([
      'config:slack.webhookUrl',
      'config:webhooks[0]',
      'config:webhooks[1].url',
      'config:escalationPolicies[0]',
      'config:groups[0].escalationPolicy',
      'config:groups[0].minSeverity',
      'config:groups[1]',
      'config:groups[2].quietHours',
      'config:rateLimit.maxPerWindow',
      'config:delivery.interval',
      'config:delivery.maxAttempts',
    ]);
    expect(settings.routing.groups['group:default/a'].minSeverity).toBe('info');
    expect(settings.routing.rateLimit.maxPerWindow).toBe(20);
    expect(settings.delivery.intervalMs).toBe(5_000);
    expect(settings.channels.slack.webhookUrl).toBeUndefined();
  });

  it('reads ISO 8601 durations, and reports a malformed or zero one by its key', () => {
    const settings = readNotificationSettings(
      new ConfigReader({
        aiops: {
          routing: {
            rateLimit: { window: 'PT15M' },
            delivery: {
              interval: 'PT0S',
              initialBackoff: 'PT30S',
              maxBackoff: 'an hour',
              lease: 'PT5M',
            },
          },
        },
      }),
    );
    expect(settings.routing.rateLimit.windowMs).toBe(900_000);
    expect(settings.delivery).toMatchObject({
      intervalMs: 5_000,
      backoff: { initialMs: 30_000, maxMs: 1_800_000 },
      leaseMs: 300_000,
    });
    expect(settings.problems).toEqual([
      {
        key: 'config:delivery.interval',
        message: expect.stringMatching(
          /^aiops\.routing\.delivery\.interval: interval must be a positive duration/,
        ),
      },
      {
        key: 'config:delivery.maxBackoff',
        message: expect.stringMatching(
          /^aiops\.routing\.delivery\.maxBackoff: maxBackoff is not a duration; write it as an ISO 8601 duration/,
        ),
      },
    ]);
  });

  it('reads routingRetryLimit as a positive ISO 8601 duration, reporting a malformed or zero one', () => {
    const read = (routingRetryLimit: string | { hours: number }) =>
      readNotificationSettings(
        new ConfigReader({ aiops: { routing: { routingRetryLimit } } }),
      );
    expect(read('PT15M').delivery.routingRetryLimitMs).toBe(900_000);
    expect(read({ hours: 2 }).delivery.routingRetryLimitMs).toBe(7_200_000);
    for (const wrong of ['PT0S', 'an hour']) {
      const settings = read(wrong);
      expect(settings.delivery.routingRetryLimitMs).toBe(3_600_000);
      expect(settings.problems).toEqual([
        {
          key: 'config:routingRetryLimit',
          message: expect.stringMatching(
            /^aiops\.routing\.routingRetryLimit: routingRetryLimit (must be a positive duration|is not a duration)/,
          ),
        },
      ]);
    }
  });

  it('refuses private targets unless allowPrivateTargets is true, and reports a non-boolean', () => {
    const read = (allowPrivateTargets?: boolean | string) =>
      readNotificationSettings(
        new ConfigReader({ aiops: { routing: { allowPrivateTargets } } }),
      );
    expect(read().channels.allowPrivateTargets).toBe(false);
    expect(read(true).channels.allowPrivateTargets).toBe(true);
    const wrong = read('yes please');
    expect(wrong.channels.allowPrivateTargets).toBe(false);
    expect(wrong.problems.map(problem => problem.key)).toEqual([
      'config:allowPrivateTargets',
    ]);
  });
});
