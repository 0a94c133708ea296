import request from 'supertest';
import { post, service, startIngest } from './__testUtils__/startIngest';

jest.setTimeout(60_000);

const MINUTE = Date.parse('2026-11-25T08:00:00.000Z');
const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const resource = (serviceName: string) => ({
  attributes: [{ key: 'service.name', value: { stringValue: serviceName } }],
});

function span(opts: {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  startMs: number;
  durationMs: number;
  error?: boolean;
}) {
  return {
    traceId: opts.traceId,
    spanId: opts.spanId,
    parentSpanId: opts.parentSpanId ?? '',
    name: 'call',
    kind: opts.kind,
    startTimeUnixNano: nanos(opts.startMs),
    endTimeUnixNano: nanos(opts.startMs + opts.durationMs),
    status: opts.error ? { code: 2, message: 'boom' } : {},
  };
}

describe('OTLP receivers through the read APIs', () => {
  it('turns traces into latency series with quantiles, error counts and observed call edges', async () => {
    const { server } = await startIngest();
    const trace = '0af7651916cd43dd8448eb211c80319c';
    const frontendSpans = [
      span({
        traceId: trace,
        spanId: 'b7ad6b7169203331',
        kind: 3,
        startMs: MINUTE + 1000,
        durationMs: 40,
      }),
    ];
    const cartSpans = Array.from({ length: 10 }, (_, i) =>
      span({
        traceId: trace,
        spanId: `00f067aa0ba902${String(10 + i)}`,
        parentSpanId: i === 0 ? 'b7ad6b7169203331' : undefined,
        kind: 2,
        startMs: MINUTE + 1000 + i,
        durationMs: i < 8 ? 20 : 400,
        error: i === 9,
      }),
    );
    const res = await post(server, '/otlp/v1/traces', {
      resourceSpans: [
        {
          resource: resource('frontend'),
          scopeSpans: [{ spans: frontendSpans }],
        },
        {
          resource: resource('cartservice'),
          scopeSpans: [{ spans: cartSpans }],
        },
      ],
    });
    expect(res.status).toBe(200);

    const query = {
      entityRef: 'component:default/cart',
      from: '2026-11-25T08:00:00Z',
      to: '2026-11-25T08:05:00Z',
    };
    const latency = await request(server)
      .get('/api/aiops-ingest/series')
      .query({ ...query, metric: 'span.duration_ms' })
      .set('authorization', service);
    expect(latency.status).toBe(200);
    expect(latency.body.points).toEqual([
      expect.objectContaining({
        time: '2026-11-25T08:00:00.000Z',
        count: 10,
        min: 20,
        max: 400,
        mean: 96,
      }),
    ]);
    const [point] = latency.body.points;
    expect(point.p50).toBeGreaterThan(10);
    expect(point.p50).toBeLessThanOrEqual(25);
    expect(point.p99).toBeGreaterThan(250);

    const errors = await request(server)
      .get('/api/aiops-ingest/series')
      .query({ ...query, metric: 'span.errors' })
      .set('authorization', service);
    expect(errors.body.points[0].count).toBe(1);

    const topology = await request(server)
      .get('/api/aiops-ingest/topology')
      .query({ from: '2026-11-25T08:00:00Z', to: '2026-11-25T08:05:00Z' })
      .set('authorization', service);
    expect(topology.body.edges).toEqual([
      expect.objectContaining({
        caller: 'unowned:frontend',
        callee: 'component:default/cart',
        count: 1,
      }),
    ]);
  });

  it('rolls metrics up per entity and minute across requests', async () => {
    const { server } = await startIngest();
    const gauge = (value: number, atMs: number) => ({
      resourceMetrics: [
        {
          resource: resource('checkoutservice'),
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'process.memory.usage',
                  unit: 'By',
                  gauge: {
                    dataPoints: [
                      { timeUnixNano: nanos(atMs), asInt: String(value) },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    const first = await post(
      server,
      '/otlp/v1/metrics',
      gauge(100, MINUTE + 5_000),
    );
    expect(first.body.rollups).toBe(1);
    await post(server, '/otlp/v1/metrics', gauge(300, MINUTE + 35_000));
    const series = await request(server)
      .get('/api/aiops-ingest/series')
      .query({
        entityRef: 'checkout',
        metric: 'process.memory.usage',
        from: '2026-11-25T08:00:00Z',
        to: '2026-11-25T08:01:00Z',
      })
      .set('authorization', service);
    expect(series.body.points).toEqual([
      {
        time: '2026-11-25T08:00:00.000Z',
        count: 2,
        sum: 400,
        min: 100,
        max: 300,
        mean: 200,
      },
    ]);
  });

  it('keeps error logs as exemplars with their trace context', async () => {
    const { server } = await startIngest();
    await post(server, '/otlp/v1/logs', {
      resourceLogs: [
        {
          resource: resource('cartservice'),
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: nanos(MINUTE + 1000),
                  severityNumber: 9,
                  body: { stringValue: 'ok' },
                },
                {
                  timeUnixNano: nanos(MINUTE + 2000),
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: { stringValue: 'redis: connection refused' },
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                },
              ],
            },
          ],
        },
      ],
    });
    const exemplars = await request(server)
      .get('/api/aiops-ingest/exemplars')
      .query({
        entityRef: 'component:default/cart',
        from: '2026-11-25T08:00:00Z',
        to: '2026-11-25T08:05:00Z',
      })
      .set('authorization', service);
    expect(exemplars.body.items).toEqual([
      expect.objectContaining({
        kind: 'log',
        message: 'redis: connection refused',
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        time: '2026-11-25T08:00:02.000Z',
      }),
    ]);
  });

  it('answers bad OTLP with a 400 naming the field', async () => {
    const { server } = await startIngest();
    const res = await post(server, '/otlp/v1/traces', {
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [{ traceId: 'not-hex', spanId: 'x', kind: 2 }] },
          ],
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]/,
    );
  });
});
