import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import firing from '../fixtures/alerts/alertmanager-v4-firing.json';
import ghDeployment from '../fixtures/deployments/github/deployment.json';
import { HMAC_SECRET, service, startIngest } from './__testUtils__/startIngest';

/**
 * Who may send signals, and what an unauthenticated or replayed request costs: real HTTP
 * through the plugin. Users need aiops.signal.create; credentials are checked before the body
 * is read; signed deliveries carry an optional signed timestamp and a remembered delivery id.
 */
jest.setTimeout(60_000);

type Decision = Awaited<ReturnType<PermissionsService['authorize']>>[number];
const ADMIN = 'user:default/admin';

/** A permission policy as Backstage runs it: allows aiops.signal.create to ADMIN only. */
function permissionPolicy() {
  const asked: string[] = [];
  const factory = createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () =>
      ({
        async authorize(requests, options) {
          const principal = options.credentials.principal as {
            userEntityRef?: string;
          };
          return requests.map(({ permission }) => {
            asked.push(permission.name);
            const allowed =
              principal.userEntityRef === ADMIN &&
              permission.name === 'aiops.signal.create';
            return {
              result: (allowed ? 'ALLOW' : 'DENY') as Decision['result'],
            };
          });
        },
        async authorizeConditional() {
          throw new Error('not used by ingest');
        },
      } as PermissionsService),
  });
  return { factory, asked };
}

const RECEIVERS = [
  '/alerts/alertmanager',
  '/alerts/grafana',
  '/alerts',
  '/otlp/v1/metrics',
  '/otlp/v1/logs',
  '/otlp/v1/traces',
  '/deployments',
  '/deployments/cdevents',
  '/deployments/argocd',
  '/changes/pagerduty',
  '/v2/change/enqueue',
];

const sign = (
  body: string | Buffer,
  secret = HMAC_SECRET,
  timestamp?: string,
) => {
  const hmac = createHmac('sha256', secret);
  if (timestamp !== undefined) hmac.update(`${timestamp}.`);
  return `sha256=${hmac.update(body).digest('hex')}`;
};
const unixSeconds = (offsetSeconds = 0) =>
  String(Math.floor(Date.now() / 1000) + offsetSeconds);

async function storedAlerts(server: unknown) {
  const res = await request(server as any)
    .get('/api/aiops-ingest/alerts')
    .set('authorization', service);
  return res.body.items as unknown[];
}

describe('who may send signals', () => {
  it('refuses a user without aiops.signal.create with 403 on every receiver, before reading the body', async () => {
    const policy = permissionPolicy();
    const { server } = await startIngest({}, {}, [policy.factory]);
    for (const path of RECEIVERS) {
      // Malformed: a 403 rather than a 400 shows the body was never parsed.
      const res = await request(server)
        .post(`/api/aiops-ingest${path}`)
        .set('authorization', mockCredentials.user.header('user:default/jo'))
        .set('content-type', 'application/json')
        .send('{"alerts": [');
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.body.error).toEqual({
        name: 'NotAllowedError',
        message:
          'user:default/jo may not send signals: a user token needs the aiops.signal.create permission. Senders authenticate with an external-access token, a service token or an HMAC signature',
      });
    }
    expect(new Set(policy.asked)).toEqual(new Set(['aiops.signal.create']));
    await expect(storedAlerts(server)).resolves.toEqual([]);
  });

  it('lets a user with aiops.signal.create send, and never asks the policy about services', async () => {
    const policy = permissionPolicy();
    const { server } = await startIngest({}, {}, [policy.factory]);
    const asAdmin = await request(server)
      .post('/api/aiops-ingest/alerts/alertmanager')
      .set('authorization', mockCredentials.user.header(ADMIN))
      .set('content-type', 'application/json')
      .send(JSON.stringify(firing));
    expect(asAdmin.status).toBe(200);
    expect(policy.asked).toEqual(['aiops.signal.create']);

    const asService = await request(server)
      .post('/api/aiops-ingest/alerts/alertmanager')
      .set('authorization', service)
      .set('content-type', 'application/json')
      .send(JSON.stringify(firing));
    expect(asService.status).toBe(200);
    expect(policy.asked).toHaveLength(1);
  });
});

describe('authentication before the body', () => {
  const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)); // 20 MiB of spaces, ~20 KB sent

  it('answers 401, not 400 or 413, to a 10 MB malformed body or a gzip bomb without credentials', async () => {
    const { server } = await startIngest(); // maxBodyBytes: 64 KiB
    const malformed = await request(server)
      .post('/api/aiops-ingest/alerts')
      .set('content-type', 'application/json')
      .send(`{${'x'.repeat(10 * 1024 * 1024)}`);
    expect(malformed.status).toBe(401);
    expect(malformed.body.error.name).toBe('AuthenticationError');

    for (const authorization of [undefined, 'Bearer not-a-token']) {
      const req = request(server)
        .post('/api/aiops-ingest/otlp/v1/logs')
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .serialize(raw => raw);
      if (authorization) req.set('authorization', authorization);
      expect((await req.send(bomb)).status).toBe(401);
    }
  });

  it('checks a signature over the bytes as sent, before inflating them', async () => {
    const { server } = await startIngest();
    const send = (signature: string) =>
      request(server)
        .post('/api/aiops-ingest/alerts/alertmanager')
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .set('x-aiops-signature-256', signature)
        .serialize(raw => raw)
        .send(bomb);
    // A wrong signature costs no inflating: 401, not the 413 inflating would reach.
    expect((await send(sign('something else'))).status).toBe(401);
    // Signed by the secret's holder, the bomb is inflated only up to the limit.
    expect((await send(sign(bomb))).status).toBe(413);

    const zipped = gzipSync(JSON.stringify(firing));
    const ok = await request(server)
      .post('/api/aiops-ingest/alerts/alertmanager')
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .set('x-aiops-signature-256', sign(zipped))
      .serialize(raw => raw)
      .send(zipped);
    expect(ok.status).toBe(200);
  });
});

describe('replayed signed deliveries', () => {
  const body = JSON.stringify(firing);
  const post = (
    server: unknown,
    headers: Record<string, string>,
    sent = body,
  ) => {
    const req = request(server as any)
      .post('/api/aiops-ingest/alerts/alertmanager')
      .set('content-type', 'application/json');
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req.send(sent);
  };

  it('takes a signed timestamp inside the window once, and acknowledges its replay without effect', async () => {
    const { server, published } = await startIngest();
    const timestamp = unixSeconds();
    const headers = {
      'x-aiops-timestamp': timestamp,
      'x-aiops-signature-256': sign(body, HMAC_SECRET, timestamp),
    };
    const first = await post(server, headers);
    expect(first.status).toBe(200);
    const announced = published.length;

    // Same signature, even under another delivery id: nothing is done again.
    const replay = await post(server, {
      ...headers,
      'x-aiops-delivery': 'fresh-id',
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({
      status: 'duplicate',
      message: 'delivery "fresh-id" was already accepted; nothing was done',
    });
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(published).toHaveLength(announced);
  });

  it('refuses a timestamp outside the tolerance, or one the signature does not cover', async () => {
    const { server } = await startIngest({ signatures: { tolerance: 'PT1M' } });
    const old = unixSeconds(-120);
    const stale = await post(server, {
      'x-aiops-timestamp': old,
      'x-aiops-signature-256': sign(body, HMAC_SECRET, old),
    });
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toMatch(
      /^x-aiops-timestamp is 12\d s away from this server's clock, more than the tolerance of PT1M \(aiops\.ingest\.signatures\.tolerance\)/,
    );

    const now = unixSeconds();
    // Signed without the timestamp: the timestamp could be anything, so it is refused.
    const unsigned = await post(server, {
      'x-aiops-timestamp': now,
      'x-aiops-signature-256': sign(body),
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.message).toBe(
      'x-aiops-signature-256 does not match "<x-aiops-timestamp>.<body>"',
    );
    // Signed with it, and the header dropped: the signature no longer matches the body.
    const dropped = await post(server, {
      'x-aiops-signature-256': sign(body, HMAC_SECRET, now),
    });
    expect(dropped.status).toBe(401);
    const malformed = await post(server, {
      'x-aiops-timestamp': '2026-11-25T08:00:00Z',
      'x-aiops-signature-256': sign(body),
    });
    expect(malformed.body.error.message).toBe(
      'x-aiops-timestamp must be Unix time in seconds, got "2026-11-25T08:00:00Z"',
    );
  });

  it('remembers X-Aiops-Delivery once a delivery succeeded, so a failed one can be retried', async () => {
    const { server } = await startIngest();
    const bad = '{"alerts": [';
    const failed = await post(
      server,
      { 'x-aiops-delivery': 'd-1', 'x-aiops-signature-256': sign(bad) },
      bad,
    );
    expect(failed.status).toBe(400);
    const retried = await post(server, {
      'x-aiops-delivery': 'd-1',
      'x-aiops-signature-256': sign(body),
    });
    expect(retried.status).toBe(200);
    const replayed = await post(server, {
      'x-aiops-delivery': 'd-1',
      'x-aiops-signature-256': sign(body),
    });
    expect(replayed.status).toBe(202);
    expect(replayed.body.status).toBe('duplicate');
    const other = await post(server, {
      'x-aiops-delivery': 'd-2',
      'x-aiops-signature-256': sign(body),
    });
    expect(other.status).toBe(200);
  });

  it('remembers X-GitHub-Delivery', async () => {
    const secret = 'github-secret';
    const { server } = await startIngest({ github: { webhookSecret: secret } });
    const ghBody = JSON.stringify(ghDeployment);
    const deliver = () =>
      request(server)
        .post('/api/aiops-ingest/deployments/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'deployment')
        .set('x-github-delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958')
        .set('x-hub-signature-256', sign(ghBody, secret))
        .send(ghBody);
    expect((await deliver()).status).toBe(200);
    const again = await deliver();
    expect(again.status).toBe(202);
    expect(again.body.message).toBe(
      'delivery "72d3162e-cc78-11e3-81ab-4c9367dc0958" was already accepted; nothing was done',
    );
  });
});

describe('echoed input', () => {
  it('cuts a 200 KB key to 100 characters in the error that names it', async () => {
    const { server } = await startIngest({ maxBodyBytes: 1024 * 1024 });
    const key = 'k'.repeat(200 * 1024);
    for (const [path, sent] of [
      [
        '/alerts/alertmanager',
        { alerts: [{ status: 'firing', labels: { [key]: 1 } }] },
      ],
      ['/deployments/argocd', { [key]: 'x' }],
      [
        '/alerts',
        {
          payload: { summary: 's', source: 'x', severity: 'critical' },
          labels: { [key]: 1 },
        },
      ],
    ] as const) {
      const res = await request(server)
        .post(`/api/aiops-ingest${path}`)
        .set('authorization', service)
        .set('content-type', 'application/json')
        .send(JSON.stringify(sent));
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message.length).toBeLessThan(600);
    }
  });
});
