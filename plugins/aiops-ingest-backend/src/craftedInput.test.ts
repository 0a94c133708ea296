import request from 'supertest';
import { service, startIngest } from './__testUtils__/startIngest';

/**
 * Crafted bodies that once answered 500 (a stack overflow on deep nesting, `encodeURIComponent`
 * throwing on a lone surrogate) answer 400 naming the problem and store nothing; the same
 * shapes within the limits are still accepted.
 */
jest.setTimeout(60_000);

const MINUTE = Date.parse('2026-11-25T08:00:00.000Z');
const FROM = '2026-11-25T08:00:00Z';
const TO = '2026-11-25T08:05:00Z';

/** Built as text: the test's own JSON.stringify would overflow on these depths. */
const deepDetails = (levels: number) =>
  `{"payload":{"summary":"Deep details","source":"cart-1","component":"cartservice","custom_details":${'{"a":'.repeat(
    levels,
  )}"leaf"${'}'.repeat(levels)}}}`;

/** An error log of cartservice whose body is an AnyValue `levels` arrays deep. */
const deepLogBody = (levels: number) =>
  `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cartservice"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"${
    BigInt(MINUTE + 2000) * 1_000_000n
  }","severityNumber":17,"body":${'{"arrayValue":{"values":['.repeat(
    levels,
  )}{"stringValue":"boom"}${']}}'.repeat(levels)}}]}]}]}`;

const argoCd = (app: string) =>
  JSON.stringify({
    app,
    revision: '9d2f1c7be0a4e5d36f18b2c4a7e9013d5b6c8f21',
    operationPhase: 'Succeeded',
    startedAt: '2026-11-24T14:02:11Z',
    argocdUrl: 'https://argocd.example.com',
    labels: { 'app.kubernetes.io/name': 'cartservice' },
  });

async function start() {
  // Room for 10,000 levels of every shape below.
  const { server } = await startIngest({ maxBodyBytes: 1024 * 1024 });
  const send = (path: string, body: string) =>
    request(server)
      .post(`/api/aiops-ingest${path}`)
      .set('authorization', service)
      .set('content-type', 'application/json')
      .send(body);
  const read = async (path: string, query: object = {}) =>
    (
      await request(server)
        .get(`/api/aiops-ingest${path}`)
        .query(query)
        .set('authorization', service)
    ).body.items;
  const exemplars = () =>
    read('/exemplars', {
      entityRef: 'component:default/cart',
      from: FROM,
      to: TO,
    });
  return { send, read, exemplars };
}

describe('crafted input', () => {
  it('answers 400 for 10,000-deep custom_details in the generic receiver, storing nothing', async () => {
    const { send, read } = await start();
    const res = await send('/alerts', deepDetails(10_000));
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: 'body nests deeper than 64 levels of arrays and objects',
    });
    await expect(read('/alerts')).resolves.toEqual([]);
  });

  it('answers 400 for a 10,000-deep OTLP arrayValue, storing nothing', async () => {
    const { send, exemplars } = await start();
    const res = await send('/otlp/v1/logs', deepLogBody(10_000));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'body nests deeper than 64 levels of arrays and objects',
    );
    await expect(exemplars()).resolves.toEqual([]);
  });

  it('answers 400 for a lone UTF-16 surrogate in the Argo CD app, storing nothing', async () => {
    const { send, read } = await start();
    const res = await send('/deployments/argocd', argoCd('cart\ud800'));
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(
      /^app holds a lone UTF-16 surrogate/,
    );
    await expect(read('/deployments')).resolves.toEqual([]);
  });

  it('answers 400 for a NUL character in an alert label, storing nothing', async () => {
    // Found by receivers.fuzz.test.ts: PostgreSQL refuses NUL in text, and this answered 500.
    const { send, read } = await start();
    const res = await send(
      '/alerts/alertmanager',
      JSON.stringify({
        status: 'firing',
        alerts: [
          {
            labels: { alertname: 'a\u0000b', service: 'checkoutservice' },
            startsAt: '2026-11-25T08:03:00Z',
          },
        ],
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message:
        'alerts[0].labels.alertname holds a NUL character (\\u0000), which cannot be stored',
    });
    await expect(read('/alerts')).resolves.toEqual([]);
  });

  it('answers 400 for a service name or severity too long for the store, storing nothing', async () => {
    // Found by receivers.fuzz.test.ts: PostgreSQL refused the 300-character key and answered 500.
    const { send, read, exemplars } = await start();
    const errorLog = (serviceName: string, severityText: string) =>
      JSON.stringify({
        resourceLogs: [
          {
            resource: {
              attributes: [
                { key: 'service.name', value: { stringValue: serviceName } },
              ],
            },
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: String(BigInt(MINUTE + 2000) * 1_000_000n),
                    severityNumber: 17,
                    severityText,
                    body: { stringValue: 'boom' },
                  },
                ],
              },
            ],
          },
        ],
      });
    const longName = `svc${'x'.repeat(297)}`;
    const tooLong = await send('/otlp/v1/logs', errorLog(longName, 'ERROR'));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(
      /^service name "svcx+…" is longer than 247 characters$/,
    );
    const unowned = await read('/exemplars', {
      entityRef: `unowned:${longName}`,
      from: FROM,
      to: TO,
    });
    expect(unowned).toEqual([]);

    const loud = await send(
      '/otlp/v1/logs',
      errorLog('cartservice', 'E'.repeat(40)),
    );
    expect(loud.status).toBe(400);
    expect(loud.body.error.message).toBe(
      `severityText "${'E'.repeat(40)}" is longer than 32 characters`,
    );
    await expect(exemplars()).resolves.toEqual([]);
    expect(
      (await send('/otlp/v1/logs', errorLog('cartservice', 'E'.repeat(32))))
        .status,
    ).toBe(200);
  });

  it('still accepts nesting within the limit and well-formed text outside the BMP', async () => {
    const { send, read, exemplars } = await start();

    // The body and its payload take 2 levels: 62 more reach the limit of 64, 63 exceed it.
    expect((await send('/alerts', deepDetails(63))).status).toBe(400);
    expect((await send('/alerts', deepDetails(62))).status).toBe(200);
    const [alert] = await read('/alerts');
    expect(alert.annotations.a).toBe(
      `${'{"a":'.repeat(61)}"leaf"${'}'.repeat(61)}`,
    );

    // The OTLP envelope down to a log body takes 8 levels; 18 arrays take 54 more.
    expect((await send('/otlp/v1/logs', deepLogBody(18))).status).toBe(200);
    const [log] = await exemplars();
    expect(log.message).toBe(`${'['.repeat(18)}"boom"${']'.repeat(18)}`);

    expect((await send('/deployments/argocd', argoCd('cart🛒'))).status).toBe(
      200,
    );
    const [deployment] = await read('/deployments');
    expect(deployment.url).toBe(
      'https://argocd.example.com/applications/cart%F0%9F%9B%92',
    );
  });
});
