import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import type { Incident } from '@aiops/plugin-aiops-common';
import {
  asService,
  asUser,
  eventually,
  sendAlerts,
  startSuite,
  storm,
  type Suite,
} from './__testUtils__/startSuite';

jest.setTimeout(60_000);

/** Collects on demand, as a Prometheus scrape would. */
class ScrapeReader extends MetricReader {
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

// Backstage's metrics service takes its meter from the global provider when the plugin starts.
const reader = new ScrapeReader();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

async function scrape(name: string) {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const metric = resourceMetrics.scopeMetrics
    .flatMap(scope => scope.metrics)
    .find(m => m.descriptor.name === name);
  return metric?.dataPoints.map(({ attributes, value }) => ({
    attributes,
    value,
  }));
}

const API = '/api/aiops-correlation';
const SLACK_API = 'https://slack.com/api/chat.postMessage';
const WEBHOOK = 'https://hooks.example.com/aiops';

// Slack and the webhook receiver are third parties: Slack asks to come back in two minutes (the
// message stays pending), the webhook is down (its message is dead after two attempts).
const thirdParties = setupServer(
  http.post(SLACK_API, () =>
    HttpResponse.json(
      { ok: false, error: 'ratelimited' },
      { status: 429, headers: { 'retry-after': '120' } },
    ),
  ),
  http.post(WEBHOOK, () => new HttpResponse('down', { status: 503 })),
);

describe('correlation metrics', () => {
  let suite: Suite;
  let incident: Incident;

  beforeAll(async () => {
    thirdParties.listen({ onUnhandledRequest: 'bypass' });
    suite = await startSuite({
      routingConfig: {
        slack: { botToken: 'xoxb-test-token' },
        webhooks: [{ name: 'ops-bridge', url: WEBHOOK }],
        groups: [{ group: 'platform-team', webhooks: ['ops-bridge'] }],
        delivery: {
          maxAttempts: 2,
          initialBackoff: { milliseconds: 1 },
          maxBackoff: { milliseconds: 1 },
        },
      },
    });
    await sendAlerts(suite.server, storm());
    incident = await eventually('the storm incident', async () => {
      await suite.tick();
      const res = await request(suite.server)
        .get(`${API}/incidents`)
        .set('authorization', asUser());
      const [opened] = res.body.items as Incident[];
      return opened?.alertIds.length === 3 && opened;
    });
  });

  afterAll(async () => {
    await suite?.stop();
    thirdParties.close();
  });

  it('reports the outbox and dead letters from the store, read at most every 30 s', async () => {
    await suite.notify();
    await new Promise(resolve => setTimeout(resolve, 10));
    await suite.notify();
    const { body: status } = await request(suite.server)
      .get(`${API}/notifications/status`)
      .set('authorization', asUser())
      .expect(200);
    expect(status.counts).toMatchObject({ pending: 1, dead: 1 });

    expect(await scrape('aiops.notifications.outbox.depth')).toEqual([
      { attributes: { status: 'pending' }, value: 1 },
      { attributes: { status: 'held' }, value: 0 },
    ]);
    expect(await scrape('aiops.notifications.dead_letters')).toEqual([
      { attributes: {}, value: 1 },
    ]);

    // Sent again, the dead letter is pending; the next scrapes still report the reading of a
    // moment ago instead of querying the store each time.
    const { body: dead } = await request(suite.server)
      .get(`${API}/notifications?status=dead`)
      .set('authorization', asUser())
      .expect(200);
    await request(suite.server)
      .post(`${API}/notifications/${dead.items[0].id}/retry`)
      .set('authorization', asUser())
      .expect(200);
    expect(await scrape('aiops.notifications.dead_letters')).toEqual([
      { attributes: {}, value: 1 },
    ]);
  });

  it('reports how far correlation is behind the feed items it has heard of', async () => {
    const { body: feed } = await request(suite.server)
      .get('/api/aiops-ingest/alerts?after=0')
      .set('authorization', asService)
      .expect(200);
    const head = Number(feed.items[feed.items.length - 1].cursor);
    await suite.tick();
    expect(await scrape('aiops.correlation.feed.lag')).toEqual([
      { attributes: { feed: 'alerts' }, value: 0 },
      { attributes: { feed: 'deployments' }, value: 0 },
    ]);

    // Announced, but not in the feed yet (as when another replica's commit is not visible
    // here): correlation cannot consume it, and says how far behind it is.
    await suite.publish('aiops.alert.received', {
      alerts: [{ alert: { id: 'elsewhere' }, cursor: String(head + 40) }],
    });
    await eventually('the lag', async () => {
      const lag = await scrape('aiops.correlation.feed.lag');
      return lag?.[0].value === 40;
    });
  });

  it('reports the incidents open in memory, until they resolve', async () => {
    expect(await scrape('aiops.correlation.incidents.open')).toEqual([
      { attributes: {}, value: 1 },
    ]);
    await request(suite.server)
      .post(`${API}/incidents/${incident.id}/resolve`)
      .set('authorization', asUser())
      .send({})
      .expect(200);
    await eventually('the incident resolved', async () => {
      const open = await scrape('aiops.correlation.incidents.open');
      return open?.[0].value === 0;
    });
  });
});
