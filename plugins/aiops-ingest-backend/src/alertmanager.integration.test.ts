import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Entity } from '@backstage/catalog-model';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { aiopsIngestPlugin } from './plugin';

/**
 * End to end against a real Prometheus Alertmanager (Debian's `prometheus-alertmanager`, which
 * CI installs): alerts are posted to Alertmanager's API, Alertmanager notifies the ingest
 * plugin through its webhook receiver with a bearer token, and the stored alerts are read back.
 * A second webhook of the same receiver goes to a capture server, so the exact bytes
 * Alertmanager sends can be compared with (or, with AIOPS_UPDATE_FIXTURES=1, written to)
 * fixtures/alerts/alertmanager-real-capture.json.
 */

jest.setTimeout(90_000);

const ALERTMANAGER_BIN =
  process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
const CAPTURE_FIXTURE = path.resolve(
  __dirname,
  '../fixtures/alerts/alertmanager-real-capture.json',
);
const DEADLINE_MS = 30_000;
const POLL_MS = 100;

const cart: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart',
    namespace: 'default',
    annotations: { 'aiops/service-name': 'cartservice' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout-team',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/checkout-team' }],
};

/** Plain http with its own agent: the test talks to 127.0.0.1 only. */
function httpJson(
  url: string,
  options: {
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    const data =
      options.body === undefined
        ? undefined
        : Buffer.from(JSON.stringify(options.body));
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        agent: new http.Agent({ keepAlive: false }),
        headers: {
          ...(data && {
            'content-type': 'application/json',
            'content-length': String(data.length),
          }),
          ...options.headers,
        },
      },
      res => {
        const parts: Buffer[] = [];
        res.on('data', part => parts.push(part));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let body: any;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Polls until `check` returns a value, or fails with `describe()` once the deadline passes. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${DEADLINE_MS} ms waiting for ${what}${
          lastError ? ` (last error: ${lastError})` : ''
        }\n${describe()}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
}

/** The shape of a JSON value: object keys (sorted) and array element shapes, not the values. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map(key => [
          key,
          // Label and annotation maps vary by alert; only their being maps matters.
          [
            'labels',
            'annotations',
            'groupLabels',
            'commonLabels',
            'commonAnnotations',
          ].includes(key)
            ? 'map'
            : shapeOf((value as Record<string, unknown>)[key]),
        ]),
    );
  }
  return value === null ? 'null' : typeof value;
}

describe('ingest behind a real Prometheus Alertmanager', () => {
  let alertmanager: ChildProcess | undefined;
  let alertmanagerLog = '';
  let alertmanagerUrl = '';
  let tmpDir = '';
  let server: http.Server;
  let ingestPort = 0;
  let capture: http.Server | undefined;
  const captured: Array<{
    headers: http.IncomingHttpHeaders;
    raw: string;
    body: any;
  }> = [];
  const token = mockCredentials.service.token();

  const diagnostics = () =>
    [
      `captured webhook deliveries: ${captured.length}`,
      ...captured.map(c => `  ${c.raw.slice(0, 500)}`),
      `alertmanager output (last 3000 chars):`,
      alertmanagerLog.slice(-3000),
    ].join('\n');

  beforeAll(async () => {
    if (!fs.existsSync(ALERTMANAGER_BIN)) {
      throw new Error(
        `${ALERTMANAGER_BIN} not found: this test needs a real Prometheus Alertmanager. ` +
          `Install it with "apt-get install -y prometheus-alertmanager" (CI does), ` +
          `or point ALERTMANAGER_BIN at an alertmanager binary.`,
      );
    }

    const backend = await startTestBackend({
      features: [
        aiopsIngestPlugin,
        catalogServiceMock.factory({ entities: [cart] }),
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () =>
            DefaultEventsService.create({ logger: mockServices.logger.mock() }),
        }),
        mockServices.rootConfig.factory({ data: { aiops: { ingest: {} } } }),
      ],
    });
    server = backend.server;
    ingestPort = (server.address() as AddressInfo).port;

    capture = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', part => parts.push(part));
      req.on('end', () => {
        const raw = Buffer.concat(parts).toString('utf8');
        let body: any;
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
        captured.push({ headers: req.headers, raw, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>(resolve =>
      capture!.listen(0, '127.0.0.1', resolve),
    );
    const capturePort = (capture.address() as AddressInfo).port;

    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiops-alertmanager-'));
    const configFile = path.join(tmpDir, 'alertmanager.yml');
    // JSON is YAML; no YAML writer needed.
    fs.writeFileSync(
      configFile,
      JSON.stringify(
        {
          route: {
            receiver: 'aiops',
            group_by: ['alertname'],
            group_wait: '0s',
            group_interval: '1s',
            repeat_interval: '1h',
          },
          receivers: [
            {
              name: 'aiops',
              webhook_configs: [
                {
                  url: `http://127.0.0.1:${ingestPort}/api/aiops-ingest/alerts/alertmanager`,
                  send_resolved: true,
                  max_alerts: 0,
                  http_config: {
                    authorization: { type: 'Bearer', credentials: token },
                  },
                },
                {
                  url: `http://127.0.0.1:${capturePort}/capture`,
                  send_resolved: true,
                  max_alerts: 0,
                  http_config: {
                    authorization: { type: 'Bearer', credentials: token },
                  },
                },
              ],
            },
          ],
        },
        null,
        2,
      ),
    );

    const port = await freePort();
    alertmanagerUrl = `http://127.0.0.1:${port}`;
    alertmanager = spawn(
      ALERTMANAGER_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(tmpDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=debug',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const append = (chunk: Buffer) => {
      alertmanagerLog = (alertmanagerLog + chunk.toString('utf8')).slice(
        -20_000,
      );
    };
    alertmanager.stdout!.on('data', append);
    alertmanager.stderr!.on('data', append);
    let exited: string | undefined;
    alertmanager.on('exit', (code, signal) => {
      exited = `alertmanager exited with ${signal ?? code}`;
    });

    await eventually(
      'Alertmanager /-/ready',
      async () => {
        if (exited) throw new Error(exited);
        const res = await httpJson(`${alertmanagerUrl}/-/ready`);
        return res.status === 200 ? true : undefined;
      },
      diagnostics,
    );
  });

  afterAll(async () => {
    if (
      alertmanager &&
      alertmanager.exitCode === null &&
      alertmanager.signalCode === null
    ) {
      const exit = new Promise(resolve => alertmanager!.once('exit', resolve));
      alertmanager.kill('SIGTERM');
      const timer = setTimeout(() => alertmanager?.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    }
    if (capture) await new Promise(resolve => capture!.close(resolve));
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  const listCart = async () => {
    const res = await request(server)
      .get('/api/aiops-ingest/alerts?entityRef=component:default/cart')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };

  it('stores what Alertmanager sends, keyed to the catalog, firing then resolved', async () => {
    const labels = {
      alertname: 'CartHighLatency',
      job: 'cartservice',
      severity: 'critical',
      namespace: 'boutique',
    };
    const annotations = {
      summary: 'cartservice p99 latency above 500ms',
      description:
        'cartservice has answered slower than 500 ms at p99 for 5 minutes.',
    };
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const generatorURL = 'http://prometheus.example:9090/graph?g0.expr=up';

    const fire = await httpJson(`${alertmanagerUrl}/api/v2/alerts`, {
      method: 'POST',
      body: [{ labels, annotations, startsAt, generatorURL }],
    });
    expect(fire.status).toBe(200);

    // Alertmanager's own fingerprint for the alert, from its API.
    const fingerprint = await eventually(
      'the alert in Alertmanager',
      async () => {
        const res = await httpJson(
          `${alertmanagerUrl}/api/v2/alerts?filter=alertname%3D%22CartHighLatency%22`,
        );
        return res.body?.[0]?.fingerprint as string | undefined;
      },
      diagnostics,
    );
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);

    const firing = await eventually(
      'the firing alert in the ingest store',
      async () => (await listCart()).find(a => a.fingerprint === fingerprint),
      diagnostics,
    );
    expect(firing).toMatchObject({
      source: 'alertmanager',
      fingerprint,
      status: 'firing',
      severity: 'critical',
      title: 'CartHighLatency',
      description: annotations.description,
      labels,
      startsAt,
      generatorUrl: generatorURL,
      resolution: {
        status: 'resolved',
        entityRef: 'component:default/cart',
        owner: 'group:default/checkout-team',
      },
    });
    expect(firing.endsAt).toBeUndefined();

    // The delivery that reached the capture server is the same notification, sent with the token.
    const firingDelivery = await eventually(
      'the firing notification at the capture server',
      async () => captured.find(c => c.body?.status === 'firing'),
      diagnostics,
    );
    expect(firingDelivery.headers.authorization).toBe(`Bearer ${token}`);
    expect(withIsoTimes(firingDelivery.body)).toMatchObject({
      version: '4',
      receiver: 'aiops',
      alerts: [{ status: 'firing', fingerprint, labels, startsAt }],
    });

    // Resolve: the same labels with endsAt in the past.
    const endsAt = new Date(Date.now() - 1_000).toISOString();
    const resolve = await httpJson(`${alertmanagerUrl}/api/v2/alerts`, {
      method: 'POST',
      body: [{ labels, annotations, startsAt, endsAt, generatorURL }],
    });
    expect(resolve.status).toBe(200);

    const resolved = await eventually(
      'the resolved alert in the ingest store',
      async () =>
        (
          await listCart()
        ).find(a => a.fingerprint === fingerprint && a.status === 'resolved'),
      diagnostics,
    );
    expect(resolved).toMatchObject({
      id: firing.id,
      fingerprint,
      status: 'resolved',
      startsAt,
      endsAt,
      resolution: { status: 'resolved', entityRef: 'component:default/cart' },
    });
    expect(resolved.deliveryCount).toBeGreaterThanOrEqual(2);
    // One alert, not two: the resolved notification updated the firing one.
    expect(
      (await listCart()).filter(a => a.fingerprint === fingerprint),
    ).toHaveLength(1);

    const resolvedDelivery = await eventually(
      'the resolved notification at the capture server',
      async () => captured.find(c => c.body?.status === 'resolved'),
      diagnostics,
    );
    expect(withIsoTimes(resolvedDelivery.body).alerts).toEqual([
      expect.objectContaining({ status: 'resolved', fingerprint, endsAt }),
    ]);

    // The committed capture must keep the shape Alertmanager really sends.
    if (
      process.env.AIOPS_UPDATE_FIXTURES === '1' ||
      !fs.existsSync(CAPTURE_FIXTURE)
    ) {
      fs.writeFileSync(
        CAPTURE_FIXTURE,
        `${JSON.stringify(firingDelivery.body, null, 2)}\n`,
      );
    }
    const fixture = JSON.parse(fs.readFileSync(CAPTURE_FIXTURE, 'utf8'));
    expect(shapeOf(fixture)).toEqual(shapeOf(firingDelivery.body));
  });
});

/**
 * Alertmanager writes Go's RFC 3339 form, which drops trailing zeros of the
 * fraction ("…50.57Z"); compare instants, not spellings.
 */
function withIsoTimes(body: any) {
  const iso = (value: string) => new Date(value).toISOString();
  return {
    ...body,
    alerts: body.alerts.map((alert: any) => ({
      ...alert,
      startsAt: iso(alert.startsAt),
      endsAt: iso(alert.endsAt),
    })),
  };
}
