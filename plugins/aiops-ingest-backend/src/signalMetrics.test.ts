import { createHmac } from 'node:crypto';
import request from 'supertest';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import firing from '../fixtures/alerts/alertmanager-v4-firing.json';
import deploymentBatch from '../fixtures/deployments/generic/batch.json';
import otlpTraces from '../fixtures/otlp/traces.json';
import {
  HMAC_SECRET,
  post,
  service,
  startIngest,
} from './__testUtils__/startIngest';

jest.setTimeout(60_000);

/** Collects on demand, as a Prometheus scrape would. */
class ScrapeReader extends MetricReader {
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

// Backstage's metrics service takes its meter from the global provider when the plugin starts.
const reader = new ScrapeReader();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

async function counts(name: string) {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const metric = resourceMetrics.scopeMetrics
    .flatMap(scope => scope.metrics)
    .find(m => m.descriptor.name === name);
  return (metric?.dataPoints ?? [])
    .map(({ attributes, value }) => ({ ...attributes, count: value }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const nested = (depth: number): unknown =>
  depth === 0 ? {} : { next: nested(depth - 1) };

describe('signal metrics', () => {
  it('counts accepted deliveries by receiver and kind, refused ones by receiver and reason', async () => {
    const { server } = await startIngest();
    const alertmanager = '/api/aiops-ingest/alerts/alertmanager';

    expect((await post(server, '/alerts/alertmanager', firing)).status).toBe(
      200,
    );
    expect((await post(server, '/deployments', deploymentBatch)).status).toBe(
      200,
    );
    expect((await post(server, '/otlp/v1/traces', otlpTraces)).status).toBe(
      200,
    );
    const raw = JSON.stringify(firing);
    await request(server)
      .post(alertmanager)
      .set('content-type', 'application/json')
      .set(
        'x-aiops-signature-256',
        `sha256=${createHmac('sha256', HMAC_SECRET).update(raw).digest('hex')}`,
      )
      .send(raw)
      .expect(200);

    // Refused: no credentials, a signature of another body, more than maxBodyBytes, nested
    // deeper than the limit, not a notification, not JSON.
    await request(server).post(alertmanager).send(firing).expect(401);
    await request(server)
      .post(alertmanager)
      .set('content-type', 'application/json')
      .set('x-aiops-signature-256', `sha256=${'0'.repeat(64)}`)
      .send(raw)
      .expect(401);
    expect(
      (await post(server, '/alerts/alertmanager', { pad: 'x'.repeat(70_000) }))
        .status,
    ).toBe(413);
    expect((await post(server, '/alerts', nested(100))).status).toBe(400);
    expect(
      (await post(server, '/alerts/alertmanager', { alerts: 'none' })).status,
    ).toBe(400);
    await request(server)
      .post('/api/aiops-ingest/deployments')
      .set('authorization', service)
      .set('content-type', 'text/plain')
      .send('deployed cart')
      .expect(415);
    // Reads are not signals.
    await request(server)
      .get('/api/aiops-ingest/alerts')
      .set('authorization', service)
      .expect(200);

    expect(await counts('aiops.ingest.signals.accepted')).toEqual([
      { receiver: 'alertmanager', kind: 'alert', count: 2 },
      { receiver: 'deployments', kind: 'deployment', count: 1 },
      { receiver: 'otlp', kind: 'otlp-traces', count: 1 },
    ]);
    expect(await counts('aiops.ingest.signals.rejected')).toEqual([
      { receiver: 'alertmanager', reason: 'auth', count: 1 },
      { receiver: 'alertmanager', reason: 'schema', count: 1 },
      { receiver: 'alertmanager', reason: 'signature', count: 1 },
      { receiver: 'alertmanager', reason: 'size', count: 1 },
      { receiver: 'deployments', reason: 'schema', count: 1 },
      { receiver: 'generic', reason: 'depth', count: 1 },
    ]);
  });
});
