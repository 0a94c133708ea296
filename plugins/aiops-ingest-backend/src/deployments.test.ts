import { createHmac } from 'node:crypto';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import single from '../fixtures/deployments/generic/single.json';
import cdDeployed from '../fixtures/deployments/cdevents/v0.5.1-service_deployed.json';
import ghDeployment from '../fixtures/deployments/github/deployment.json';
import {
  eventually,
  post,
  service,
  startIngest,
} from './__testUtils__/startIngest';

jest.setTimeout(60_000);

const GITHUB_SECRET = 'github-webhook-secret';
const sign = (body: string, secret = GITHUB_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('deployment receivers', () => {
  it('accepts a generic deployment idempotently, keys it and lists it', async () => {
    const { server, published } = await startIngest();
    const first = await post(server, '/deployments', single);
    expect(first.status).toBe(200);
    expect(first.body.deployments[0]).toMatchObject({
      change: 'created',
      status: 'succeeded',
      entityRef: 'component:default/cart',
    });
    const again = await post(server, '/deployments', single);
    expect(again.body.deployments[0].change).toBe('unchanged');
    await eventually(() =>
      expect(
        published.filter(e => e.topic === 'aiops.deployment.received'),
      ).toHaveLength(1),
    );

    const list = await request(server)
      .get('/api/aiops-ingest/deployments?entityRef=component:default/cart')
      .set('authorization', mockCredentials.user.header());
    expect(list.body.items).toEqual([
      expect.objectContaining({
        version: '1.8.0',
        previousVersion: '1.7.3',
        environment: 'production',
      }),
    ]);
    const feed = await request(server)
      .get('/api/aiops-ingest/deployments?after=0')
      .set('authorization', service);
    expect(feed.body.items).toHaveLength(1);
    expect(feed.body.cursor).toBe(feed.body.items[0].cursor);
  });

  it('lists the deployments of several entities in one read, and refuses a bad or too long list', async () => {
    const { server } = await startIngest();
    await post(server, '/deployments', single);
    await post(server, '/deployments', {
      ...single,
      id: 'deploy-checkout-1',
      service: 'checkout',
      version: '3.1.0',
      previousVersion: '3.0.9',
    });
    await post(server, '/deployments', {
      ...single,
      id: 'deploy-frontend-1',
      service: 'frontend',
      version: '9.9.9',
    });
    const read = (query: string) =>
      request(server)
        .get(`/api/aiops-ingest/deployments?${query}`)
        .set('authorization', service);

    const both = await read('entityRefs=cart,component:default/checkout');
    expect(both.status).toBe(200);
    expect(
      both.body.items
        .map(
          (d: { resolution: { entityRef?: string } }) => d.resolution.entityRef,
        )
        .sort(),
    ).toEqual(['component:default/cart', 'component:default/checkout']);

    const bad = await read('entityRefs=cart,:::');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('entityRefs');
    const many = await read(
      `entityRefs=${Array.from({ length: 51 }, (_, i) => `svc-${i}`).join(
        ',',
      )}`,
    );
    expect(many.status).toBe(400);
    expect(many.body.error.message).toMatch(
      /entityRefs lists 51 entity refs; at most 50/,
    );
  });

  it('accepts CDEvents in structured and binary mode, deduplicating on source and id', async () => {
    const { server } = await startIngest();
    const structured = await request(server)
      .post('/api/aiops-ingest/deployments/cdevents')
      .set('authorization', service)
      .set('content-type', 'application/cloudevents+json')
      .send(
        JSON.stringify({
          specversion: '1.0',
          id: (cdDeployed as any).context.id,
          source: (cdDeployed as any).context.source,
          type: (cdDeployed as any).context.type,
          datacontenttype: 'application/json',
          data: cdDeployed,
        }),
      );
    expect(structured.status).toBe(200);
    expect(structured.body.deployments[0].change).toBe('created');

    const binary = await request(server)
      .post('/api/aiops-ingest/deployments/cdevents')
      .set('authorization', service)
      .set('content-type', 'application/json')
      .set('ce-specversion', '1.0')
      .set('ce-id', (cdDeployed as any).context.id)
      .set('ce-source', (cdDeployed as any).context.source)
      .set('ce-type', (cdDeployed as any).context.type)
      .send(JSON.stringify(cdDeployed));
    expect(binary.status).toBe(200);
    expect(binary.body.deployments[0]).toMatchObject({
      change: 'unchanged',
      id: structured.body.deployments[0].id,
    });
  });

  describe('GitHub webhooks', () => {
    it('verifies X-Hub-Signature-256 over the raw body before anything else', async () => {
      const { server } = await startIngest({
        github: { webhookSecret: GITHUB_SECRET },
      });
      const body = JSON.stringify(ghDeployment);
      const send = (signature?: string, event = 'deployment') => {
        const req = request(server)
          .post('/api/aiops-ingest/deployments/github')
          .set('content-type', 'application/json')
          .set('x-github-event', event);
        if (signature) req.set('x-hub-signature-256', signature);
        return req.send(body);
      };

      const ok = await send(sign(body));
      expect(ok.status).toBe(200);
      expect(ok.body.deployments[0]).toMatchObject({
        status: 'started',
        change: 'created',
      });

      expect((await send(sign(body, 'wrong-secret'))).status).toBe(401);
      expect((await send()).status).toBe(401);
      const ping = await send(sign(body), 'ping');
      expect(ping.status).toBe(202);
    });

    it('is closed until a webhook secret is configured', async () => {
      const { server } = await startIngest();
      const body = JSON.stringify(ghDeployment);
      const res = await request(server)
        .post('/api/aiops-ingest/deployments/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'deployment')
        .set('x-hub-signature-256', sign(body))
        .send(body);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(
        /aiops.ingest.github.webhookSecret/,
      );
    });
  });

  it.each([
    ['/deployments', { id: 'x', service: 'cart' }, 400, /version/],
    [
      '/deployments',
      {
        deployments: Array.from({ length: 51 }, (_, i) => ({
          ...single,
          id: `d${i}`,
        })),
      },
      413,
      /limit of 50/,
    ],
    [
      '/deployments/cdevents',
      { context: { type: 'dev.cdevents.build.started.0.1.0' } },
      400,
      /context\.type|type/,
    ],
    [
      '/deployments/argocd',
      { app: 'cart' },
      400,
      /revision|operationPhase|startedAt/,
    ],
  ])(
    'answers bad input to %s with a 4xx naming the field',
    async (path, body, status, message) => {
      const { server } = await startIngest();
      const res = await post(server, path, body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
    },
  );
});
