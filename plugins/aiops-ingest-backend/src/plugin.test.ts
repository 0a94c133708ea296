import { gzipSync } from 'node:zlib';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import fc from 'fast-check';
import { mockCredentials } from '@backstage/backend-test-utils';
import firing from '../fixtures/alerts/alertmanager-v4-firing.json';
import resolved from '../fixtures/alerts/alertmanager-v4-resolved.json';
import grafana from '../fixtures/alerts/grafana-unified.json';
import generic from '../fixtures/alerts/generic-batch.json';
import deploymentBatch from '../fixtures/deployments/generic/batch.json';
import cdevent from '../fixtures/deployments/cdevents/v0.5.1-service_deployed.json';
import argocd from '../fixtures/deployments/argocd/notification.succeeded.json';
import otlpMetrics from '../fixtures/otlp/metrics-string-ints.json';
import otlpLogs from '../fixtures/otlp/logs.json';
import otlpTraces from '../fixtures/otlp/traces.json';
import {
  HMAC_SECRET,
  eventually,
  post,
  service,
  startIngest,
} from './__testUtils__/startIngest';

jest.setTimeout(60_000);

describe('aiops-ingest plugin', () => {
  it('accepts an Alertmanager notification, keys it to the catalog and announces it after commit', async () => {
    const { server, published } = await startIngest();
    const res = await post(server, '/alerts/alertmanager', firing);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      accepted: 2,
      ignored: [],
      truncatedAlerts: 0,
    });
    expect(res.body.alerts.map((a: any) => [a.change, a.entityRef])).toEqual([
      ['created', 'component:default/cart'],
      ['created', 'resource:default/redis-cart'],
    ]);
    // One event per request, listing every change it committed.
    await eventually(() =>
      expect(published.map(e => e.topic)).toEqual(['aiops.alert.received']),
    );
    expect((published[0].eventPayload as any).alerts).toEqual([
      {
        alert: expect.objectContaining({
          fingerprint: '5a3c9e1f2b7d4e60',
          resolution: expect.objectContaining({
            owner: 'group:default/checkout-team',
          }),
        }),
        cursor: expect.any(String),
      },
      {
        alert: expect.objectContaining({ fingerprint: '0f1e2d3c4b5a6978' }),
        cursor: expect.any(String),
      },
    ]);

    const list = await request(server)
      .get('/api/aiops-ingest/alerts?entityRef=component:default/cart')
      .set('authorization', mockCredentials.user.header());
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ title: 'HighErrorRate', status: 'firing' }),
    ]);
  });

  it('stores the same Alertmanager payload sent twice as one alert', async () => {
    const { server, published } = await startIngest();
    await post(server, '/alerts/alertmanager', firing);
    const again = await post(server, '/alerts/alertmanager', firing);
    expect(again.body.alerts.map((a: any) => a.change)).toEqual([
      'refreshed',
      'refreshed',
    ]);

    const list = await request(server)
      .get('/api/aiops-ingest/alerts')
      .set('authorization', service);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items.map((a: any) => a.deliveryCount)).toEqual([2, 2]);
    // Repeats are stored, not re-announced.
    await eventually(() => expect(published).toHaveLength(1));

    const done = await post(server, '/alerts/alertmanager', resolved);
    expect(done.body.alerts[0].change).toBe('resolved');
    await eventually(() => expect(published).toHaveLength(2));
  });

  it('keeps unowned alerts with the reason', async () => {
    const { server } = await startIngest();
    const res = await post(server, '/alerts', {
      payload: {
        summary: 'Fan failure in rack 7',
        severity: 'warning',
        source: 'rack7-node3',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.alerts[0].unownedReason).toMatch(/no entity label/);
    const unowned = await request(server)
      .get('/api/aiops-ingest/alerts?unowned=true')
      .set('authorization', service);
    expect(unowned.body.items).toHaveLength(1);
  });

  it('reports ignored generic events instead of dropping them silently', async () => {
    const { server } = await startIngest();
    const res = await post(server, '/alerts', generic);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.ignored).toEqual([
      { index: 2, reason: 'no alert is stored under this dedup_key' },
      { index: 3, reason: expect.stringContaining('acknowledge') },
    ]);
    expect(res.body.alerts[0]).not.toHaveProperty('entityRef');
    expect(res.body.alerts[0].unownedReason).toEqual(expect.any(String));
  });

  it('accepts Grafana notifications', async () => {
    const { server } = await startIngest();
    const res = await post(server, '/alerts/grafana', grafana);
    expect(res.body.alerts[0]).toMatchObject({
      entityRef: 'component:default/payment-gateway',
    });
  });

  describe('authentication', () => {
    it('answers 401 without credentials', async () => {
      const { server } = await startIngest();
      const res = await request(server)
        .post('/api/aiops-ingest/alerts/alertmanager')
        .set('content-type', 'application/json')
        .send(JSON.stringify(firing));
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ name: 'AuthenticationError' });
    });

    it('accepts an HMAC signature of the raw body instead of a token', async () => {
      const { server } = await startIngest();
      const body = JSON.stringify(firing);
      const signature = `sha256=${createHmac('sha256', HMAC_SECRET)
        .update(body)
        .digest('hex')}`;
      const ok = await request(server)
        .post('/api/aiops-ingest/alerts/alertmanager')
        .set('content-type', 'application/json')
        .set('x-aiops-signature-256', signature)
        .send(body);
      expect(ok.status).toBe(200);

      const tampered = await request(server)
        .post('/api/aiops-ingest/alerts/alertmanager')
        .set('content-type', 'application/json')
        .set('x-aiops-signature-256', signature)
        .send(body.replace('critical', 'info'));
      expect(tampered.status).toBe(401);
    });

    it('does not accept signatures on receivers without a secret', async () => {
      const { server } = await startIngest();
      const body = JSON.stringify({ payload: { summary: 'x' } });
      const res = await request(server)
        .post('/api/aiops-ingest/alerts')
        .set('content-type', 'application/json')
        .set(
          'x-aiops-signature-256',
          `sha256=${createHmac('sha256', HMAC_SECRET)
            .update(body)
            .digest('hex')}`,
        )
        .send(body);
      expect(res.status).toBe(401);
    });

    it('leaves read APIs open only when the backend runs without the default auth policy', async () => {
      const { server } = await startIngest(
        {},
        { backend: { auth: { dangerouslyDisableDefaultAuthPolicy: true } } },
      );
      const open = await request(server)
        .get('/api/aiops-ingest/alerts')
        .set('authorization', mockCredentials.none.header());
      expect(open.status).toBe(200);
      const receiver = await request(server)
        .post('/api/aiops-ingest/alerts')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ payload: { summary: 'x' } }));
      expect(receiver.status).toBe(401);
    });

    it('requires credentials on read APIs', async () => {
      const { server } = await startIngest();
      const res = await request(server).get('/api/aiops-ingest/alerts');
      expect(res.status).toBe(200); // the test backend treats a request without a token as a user
      const denied = await request(server)
        .get('/api/aiops-ingest/alerts')
        .set('authorization', mockCredentials.none.header());
      expect(denied.status).toBe(401);
    });
  });

  describe('bad input', () => {
    it.each([
      [
        'malformed JSON',
        'application/json',
        '{"alerts": [',
        400,
        /body is not valid JSON/,
      ],
      ['an empty body', 'application/json', '', 400, /body is empty/],
      [
        'a form post',
        'application/x-www-form-urlencoded',
        'a=b',
        415,
        /Content-Type must be application\/json/,
      ],
      [
        'protobuf',
        'application/x-protobuf',
        'xx',
        415,
        /protobuf is not supported/,
      ],
      [
        'a wrong field type',
        'application/json',
        '{"alerts":[{"labels":{"a":1}}]}',
        400,
        /alerts\[0\]\.labels\.a|alerts\/0\/labels\/a/,
      ],
    ])(
      'answers %s with a 4xx naming the problem',
      async (_, type, body, status, message) => {
        const { server } = await startIngest();
        const res = await request(server)
          .post('/api/aiops-ingest/alerts/alertmanager')
          .set('authorization', service)
          .set('content-type', type)
          .send(body);
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
      },
    );

    it.each(['constructor', '__proto__', 'hasOwnProperty', 'br'])(
      'answers Content-Encoding %s with 415 naming what it supports',
      async encoding => {
        const { server } = await startIngest();
        const res = await request(server)
          .post('/api/aiops-ingest/alerts/alertmanager')
          .set('authorization', service)
          .set('content-type', 'application/json')
          .set('content-encoding', encoding)
          .send('{"alerts":[]}');
        expect(res.status).toBe(415);
        expect(res.body.error.message).toMatch(/use gzip, deflate or none/);
      },
    );

    it('answers 413 for a body over the limit, also once decompressed, and writes nothing', async () => {
      const { server } = await startIngest();
      const big = {
        alerts: [{ labels: { alertname: 'x'.repeat(70 * 1024) } }],
      };
      const res = await post(server, '/alerts/alertmanager', big);
      expect(res.status).toBe(413);

      const zipped = await request(server)
        .post('/api/aiops-ingest/alerts/alertmanager')
        .set('authorization', service)
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .serialize(raw => raw)
        .send(gzipSync(JSON.stringify(big)));
      expect(zipped.status).toBe(413);

      const list = await request(server)
        .get('/api/aiops-ingest/alerts')
        .set('authorization', service);
      expect(list.body.items).toEqual([]);
    });

    it('accepts gzip-encoded bodies', async () => {
      const { server } = await startIngest();
      const res = await request(server)
        .post('/api/aiops-ingest/alerts/alertmanager')
        .set('authorization', service)
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .serialize(raw => raw)
        .send(gzipSync(JSON.stringify(firing)));
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(2);
    });

    it('answers 413 for more alerts than allowed per request, writing none of them', async () => {
      const { server } = await startIngest();
      const many = {
        alerts: Array.from({ length: 51 }, (_, i) => ({
          labels: { alertname: `a${i}` },
        })),
      };
      const res = await post(server, '/alerts/alertmanager', many);
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(/more than the limit of 50/);
      const list = await request(server)
        .get('/api/aiops-ingest/alerts')
        .set('authorization', service);
      expect(list.body.items).toEqual([]);
    });

    it('answers 400 for values longer than the store keeps, instead of a database error', async () => {
      const { server } = await startIngest();
      const res = await post(server, '/alerts', {
        dedup_key: 'k'.repeat(300),
        payload: { summary: 'x' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'alerts[0].dedup_key is longer than 255 characters',
      );
    });

    it.each([
      ['/alerts?limit=0', /limit/],
      ['/alerts?limit=abc', /limit/],
      ['/alerts?from=yesterday', /from/],
      ['/alerts?cursor=abc', /cursor/],
      ['/alerts?status=burning', /status/],
      ['/series?metric=x', /entityRef/],
      ['/series?entityRef=cart&metric=x&step=30', /step/],
      [
        '/series?entityRef=cart&metric=x&from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z',
        /from/,
      ],
    ])(
      'answers GET %s with 400 naming the parameter',
      async (path, message) => {
        const { server } = await startIngest();
        const res = await request(server)
          .get(`/api/aiops-ingest${path}`)
          .set('authorization', service);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(message);
      },
    );
  });

  it('serves its OpenAPI description', async () => {
    const { server } = await startIngest();
    const res = await request(server)
      .get('/api/aiops-ingest/openapi.json')
      .set('authorization', service);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/aiops-ingest/alerts/alertmanager',
        '/api/aiops-ingest/otlp/v1/traces',
      ]),
    );
  });

  it('never answers a random or mutated payload with a 5xx', async () => {
    const { server } = await startIngest();
    const fixtures: Record<string, unknown> = {
      '/alerts/alertmanager': firing,
      '/alerts/grafana': grafana,
      '/alerts': generic,
      '/deployments': deploymentBatch,
      '/deployments/cdevents': cdevent,
      '/deployments/argocd': argocd,
      '/otlp/v1/metrics': otlpMetrics,
      '/otlp/v1/logs': otlpLogs,
      '/otlp/v1/traces': otlpTraces,
    };
    const pathsOf = (
      value: unknown,
      prefix: string[] = [],
      depth = 0,
    ): string[][] => {
      if (value === null || typeof value !== 'object' || depth > 8)
        return [prefix];
      return [
        prefix,
        ...Object.entries(value).flatMap(([key, child]) =>
          pathsOf(child, [...prefix, key], depth + 1),
        ),
      ];
    };
    const mutate = (
      value: unknown,
      path: string[],
      replacement: unknown,
    ): unknown => {
      if (path.length === 0) return replacement;
      if (value === null || typeof value !== 'object') return value;
      const copy: any = Array.isArray(value) ? [...value] : { ...value };
      copy[path[0]] = mutate(copy[path[0]], path.slice(1), replacement);
      return copy;
    };
    const replacement = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(
        '',
        '-1',
        '99999999999999999999999',
        'NaN',
        '0001-01-01T00:00:00Z',
        null,
        [],
        {},
      ),
      fc.integer(),
      fc.double(),
    );
    const request$ = fc.constantFrom(...Object.keys(fixtures)).chain(route =>
      fc.tuple(
        fc.constant(route),
        fc.oneof(
          { weight: 1, arbitrary: fc.jsonValue() },
          {
            weight: 4,
            arbitrary: fc
              .tuple(fc.constantFrom(...pathsOf(fixtures[route])), replacement)
              .map(([path, value]) => mutate(fixtures[route], path, value)),
          },
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(request$, async ([route, body]) => {
        const res = await post(server, route, body);
        expect(res.status).toBeLessThan(500);
        expect(
          res.status < 400 || typeof res.body.error?.message === 'string',
        ).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
