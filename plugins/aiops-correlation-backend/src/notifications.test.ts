import { createHmac } from 'node:crypto';
import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Incident } from '@aiops/plugin-aiops-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Knex } from 'knex';
import {
  asUser,
  eventually,
  sendAlerts,
  startSuite,
  storm,
  type Suite,
} from './__testUtils__/startSuite';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const API = '/api/aiops-correlation';
const PLATFORM = 'group:default/platform-team';
const PAGERDUTY_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const SLACK_API = 'https://slack.com/api/chat.postMessage';
const PAGERDUTY_API = 'https://events.pagerduty.com/v2/enqueue';
const WEBHOOK = 'https://hooks.example.com/aiops';
const WEBHOOK_SECRET = 's3cret';

const ROUTING = {
  slack: { botToken: 'xoxb-test-token' },
  webhooks: [{ name: 'ops-bridge', url: WEBHOOK, secret: WEBHOOK_SECRET }],
  groups: [
    {
      group: 'platform-team',
      pagerDutyIntegrationKey: PAGERDUTY_KEY,
      webhooks: ['ops-bridge'],
    },
  ],
};

interface Captured {
  url: string;
  headers: Record<string, string>;
  raw: string;
  body: any;
}

// Slack, PagerDuty and the webhook receiver are third parties: msw answers for them at the
// HTTP level. The suite's own requests (supertest, ingest's feed) go to localhost untouched.
const captured: Captured[] = [];
const answers = {
  slack: () => HttpResponse.json({ ok: true, ts: '1.2' }),
  pagerDuty: () =>
    HttpResponse.json(
      { status: 'success', message: 'Event processed' },
      { status: 202 },
    ),
  webhook: () => new HttpResponse(null, { status: 204 }),
};
const capture =
  (answer: () => Response) =>
  async ({ request: req }: { request: Request }) => {
    const raw = await req.text();
    captured.push({
      url: req.url,
      headers: Object.fromEntries(req.headers),
      raw,
      body: JSON.parse(raw),
    });
    return answer();
  };
const server = setupServer(
  http.post(SLACK_API, args => capture(answers.slack)(args)),
  http.post(PAGERDUTY_API, args => capture(answers.pagerDuty)(args)),
  http.post(WEBHOOK, args => capture(answers.webhook)(args)),
);
const defaultAnswers = { ...answers };

beforeAll(() =>
  server.listen({
    onUnhandledRequest(req, print) {
      const { hostname } = new URL(req.url);
      if (hostname !== 'localhost' && hostname !== '127.0.0.1') print.error();
    },
  }),
);
afterEach(() => {
  captured.length = 0;
  Object.assign(answers, defaultAnswers);
});
afterAll(() => server.close());

const sentTo = (url: string) => captured.filter(c => c.url === url);

async function stormIncident(suite: Suite): Promise<Incident> {
  await sendAlerts(suite.server, storm());
  return eventually('the storm incident', async () => {
    await suite.tick();
    const res = await request(suite.server)
      .get(`${API}/incidents`)
      .set('authorization', asUser());
    const [incident] = res.body.items as Incident[];
    return incident?.alertIds.length === 3 && incident;
  });
}

async function deliveries(suite: Suite, incidentId: string) {
  const res = await request(suite.server)
    .get(`${API}/incidents/${incidentId}/notifications`)
    .set('authorization', asUser())
    .expect(200);
  return res.body.items as Array<Record<string, any>>;
}

describe('incident notifications', () => {
  let suite: Suite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  it('tells the owner group once per change through every channel it uses', async () => {
    suite = await startSuite({ routingConfig: ROUTING });
    const incident = await stormIncident(suite);
    await suite.notify();
    await suite.notify();

    const [slack] = sentTo(SLACK_API);
    expect(sentTo(SLACK_API)).toHaveLength(1);
    expect(slack.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(slack.body).toMatchObject({
      channel: '#platform-alerts',
      unfurl_links: false,
    });
    expect(slack.body.text).toContain(incident.title);

    expect(sentTo(PAGERDUTY_API).map(c => c.body)).toEqual([
      expect.objectContaining({
        routing_key: PAGERDUTY_KEY,
        event_action: 'trigger',
        dedup_key: incident.id,
        payload: expect.objectContaining({
          severity: 'critical',
          source: 'resource:default/redis-cart',
        }),
        client_url: `http://backstage.example/aiops/incidents/${incident.id}`,
      }),
    ]);

    const [hook] = sentTo(WEBHOOK);
    expect(sentTo(WEBHOOK)).toHaveLength(1);
    expect(hook.body).toMatchObject({
      type: 'incident.opened',
      incident: { incidentId: incident.id, owner: PLATFORM },
    });
    expect(hook.headers['x-aiops-signature-256']).toBe(
      `sha256=${createHmac('sha256', WEBHOOK_SECRET)
        .update(hook.raw)
        .digest('hex')}`,
    );

    expect(suite.notified).toEqual([
      {
        recipients: { type: 'entity', entityRef: PLATFORM },
        payload: expect.objectContaining({
          link: `/aiops/incidents/${incident.id}`,
          severity: 'critical',
          scope: `aiops-incident:${incident.id}`,
        }),
      },
    ]);
    const sent = await deliveries(suite, incident.id);
    expect(sent.map(d => [d.channel, d.status, d.change]).sort()).toEqual([
      ['backstage', 'delivered', 'opened'],
      ['pagerduty', 'delivered', 'opened'],
      ['slack', 'delivered', 'opened'],
      ['webhook', 'delivered', 'opened'],
    ]);
    expect(sent.find(d => d.channel === 'pagerduty')?.target).toBe(
      'PagerDuty (key a1b2…)',
    );

    // Acknowledging is news too: PagerDuty acknowledges the same alert, nothing is paged again.
    captured.length = 0;
    await request(suite.server)
      .post(`${API}/incidents/${incident.id}/acknowledge`)
      .set('authorization', asUser())
      .expect(200);
    await suite.notify();
    await suite.notify();
    expect(sentTo(PAGERDUTY_API).map(c => c.body)).toEqual([
      {
        routing_key: PAGERDUTY_KEY,
        event_action: 'acknowledge',
        dedup_key: incident.id,
      },
    ]);
    expect(sentTo(SLACK_API)).toHaveLength(1);
    expect(sentTo(WEBHOOK).map(c => c.body.type)).toEqual([
      'incident.acknowledged',
    ]);
    expect(suite.notified).toHaveLength(2);

    const { body } = await request(suite.server)
      .get(`${API}/incidents/${incident.id}`)
      .set('authorization', asUser())
      .expect(200);
    const sentEntries = body.timeline.filter(
      (e: { kind: string }) => e.kind === 'notification',
    );
    expect(sentEntries.map((e: { summary: string }) => e.summary)).toContain(
      'Sent via Slack #platform-alerts (opened)',
    );
  });

  it('retries no sooner than Retry-After, and dead-letters what keeps failing', async () => {
    suite = await startSuite({
      routingConfig: {
        ...ROUTING,
        delivery: {
          maxAttempts: 2,
          initialBackoff: { milliseconds: 1 },
          maxBackoff: { milliseconds: 1 },
        },
      },
    });
    answers.slack = () =>
      HttpResponse.json(
        { ok: false, error: 'ratelimited' },
        { status: 429, headers: { 'retry-after': '120' } },
      );
    answers.webhook = () => new HttpResponse('down', { status: 503 });
    const incident = await stormIncident(suite);
    const before = Date.now();
    await suite.notify();
    const [slack] = (await deliveries(suite, incident.id)).filter(
      d => d.channel === 'slack',
    );
    expect(slack).toMatchObject({ status: 'pending', attempts: 1 });
    expect(slack.lastError).toContain('429');
    expect(Date.parse(slack.nextAttemptAt)).toBeGreaterThanOrEqual(
      before + 120_000,
    );

    // The webhook's second 503 is its last attempt.
    await new Promise(resolve => setTimeout(resolve, 10));
    await suite.notify();
    expect(sentTo(WEBHOOK)).toHaveLength(2);
    const dead = await request(suite.server)
      .get(`${API}/notifications?status=dead`)
      .set('authorization', asUser())
      .expect(200);
    expect(dead.body.items).toMatchObject([
      {
        incidentId: incident.id,
        channel: 'webhook',
        target: 'webhook "ops-bridge"',
        status: 'dead',
        attempts: 2,
        change: 'opened',
      },
    ]);
    expect(dead.body.items[0].lastError).toContain('503');
    const status = await request(suite.server)
      .get(`${API}/notifications/status`)
      .set('authorization', asUser())
      .expect(200);
    expect(status.body.counts).toMatchObject({ dead: 1, pending: 1 });

    const { body } = await request(suite.server)
      .get(`${API}/incidents/${incident.id}`)
      .set('authorization', asUser())
      .expect(200);
    expect(
      body.timeline.some(
        (e: { action: string }) => e.action === 'notification-dead',
      ),
    ).toBe(true);

    // An operator sends it again once the receiver is back.
    answers.webhook = defaultAnswers.webhook;
    await request(suite.server)
      .post(`${API}/notifications/${dead.body.items[0].id}/retry`)
      .set('authorization', asUser())
      .expect(200);
    await suite.notify();
    expect(sentTo(WEBHOOK)).toHaveLength(3);
  });

  it('reports bad configuration and still notifies through Backstage', async () => {
    suite = await startSuite({
      routingConfig: {
        webhooks: [{ name: 'broken', url: 'not a url' }],
        groups: [
          { group: 'no-such-team' },
          {
            group: 'platform-team',
            pagerDutyIntegrationKey: 'too-short',
            webhooks: ['broken'],
            minSeverity: 'severe',
          },
        ],
      },
    });
    const incident = await stormIncident(suite);
    await suite.notify();
    expect(captured).toEqual([]);
    expect(suite.notified.map(n => n.recipients)).toEqual([
      { type: 'entity', entityRef: PLATFORM },
    ]);
    const { body } = await request(suite.server)
      .get(`${API}/notifications/status`)
      .set('authorization', asUser())
      .expect(200);
    const problems = body.problems.map((p: { key: string }) => p.key);
    expect(problems).toEqual(
      expect.arrayContaining([
        'config:webhooks[0].url',
        'config:groups[1].webhooks',
        'config:groups[1].minSeverity',
        'unknown-group:group:default/no-such-team',
        `pagerduty-key:${PLATFORM}`,
        'slack-transport',
        'webhook:broken',
      ]),
    );
    expect(JSON.stringify(body.problems)).not.toContain('too-short');
    expect(
      body.problems.find(
        (p: { key: string }) => p.key === `pagerduty-key:${PLATFORM}`,
      ).incidentId,
    ).toBe(incident.id);
  });
});

describe.each(databases.eachSupportedId())(
  'notifications from two replicas on %s',
  databaseId => {
    const running: Suite[] = [];
    afterEach(async () => {
      await Promise.all(running.splice(0).map(s => s.stop()));
    });

    it('deliver each change once', async () => {
      const shared: { ingest: Knex; correlation: Knex } = {
        ingest: await databases.init(databaseId),
        correlation: await databases.init(databaseId),
      };
      const a = await startSuite({ databases: shared, routingConfig: ROUTING });
      running.push(a);
      const b = await startSuite({ databases: shared, routingConfig: ROUTING });
      running.push(b);

      const incident = await stormIncident(a);
      await b.tick();
      for (let round = 0; round < 3; round++) {
        await Promise.all([a.notify(), b.notify()]);
      }
      await request(a.server)
        .post(`${API}/incidents/${incident.id}/resolve`)
        .set('authorization', asUser())
        .expect(200);
      await b.tick();
      for (let round = 0; round < 3; round++) {
        await Promise.all([a.notify(), b.notify()]);
      }

      expect(sentTo(PAGERDUTY_API).map(c => c.body.event_action)).toEqual([
        'trigger',
        'resolve',
      ]);
      expect(sentTo(SLACK_API)).toHaveLength(2);
      expect(sentTo(WEBHOOK).map(c => c.body.type)).toEqual([
        'incident.opened',
        'incident.resolved',
      ]);
      expect([...a.notified, ...b.notified]).toHaveLength(2);
    });
  },
);
