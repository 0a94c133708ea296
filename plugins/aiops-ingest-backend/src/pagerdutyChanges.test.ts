import { createHmac } from 'node:crypto';
import request from 'supertest';
import docsExample from '../fixtures/deployments/pagerduty/change-event.docs.json';
import ansible from '../fixtures/deployments/pagerduty/change-event.ansible.json';
import {
  eventually,
  post,
  service,
  startIngest,
} from './__testUtils__/startIngest';

jest.setTimeout(60_000);

/** PagerDuty's example, naming a service the demo catalog knows (as `aiops/service-name`). */
const cartChange = {
  ...docsExample,
  payload: {
    ...docsExample.payload,
    custom_details: {
      ...docsExample.payload.custom_details,
      service: 'cartservice',
    },
  },
};

/** As a PagerDuty sender posts: JSON, and no header credentials. */
const postBare = (server: any, path: string, body: unknown) =>
  request(server)
    .post(`/api/aiops-ingest${path}`)
    .set('content-type', 'application/json')
    .send(JSON.stringify(body));

describe('PagerDuty change events', () => {
  it('records a change keyed to its entity, answers like PagerDuty, once per event, and feeds it', async () => {
    const { server, published } = await startIngest();
    const first = await post(server, '/changes/pagerduty', cartChange);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({
      status: 'success',
      message: 'Change event processed',
      accepted: 1,
      deployments: [
        {
          index: 0,
          id: expect.any(String),
          status: 'succeeded',
          change: 'created',
          entityRef: 'component:default/cart',
        },
      ],
    });
    const again = await post(server, '/changes/pagerduty', cartChange);
    expect(again.status).toBe(202);
    expect(again.body.deployments[0]).toMatchObject({
      id: first.body.deployments[0].id,
      change: 'unchanged',
    });
    await eventually(() =>
      expect(
        published.filter(e => e.topic === 'aiops.deployment.received'),
      ).toHaveLength(1),
    );
    const [announced] = published.filter(
      e => e.topic === 'aiops.deployment.received',
    );
    expect(
      (announced.eventPayload as any).deployments[0].deployment,
    ).toMatchObject({
      source: 'pagerduty-change',
      summary: 'Build Success: Increase snapshot create timeout to 30 seconds',
    });

    const list = await request(server)
      .get('/api/aiops-ingest/deployments?entityRef=component:default/cart')
      .set('authorization', service);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: first.body.deployments[0].id,
        source: 'pagerduty-change',
        version: '2',
        startedAt: '2020-07-17T08:42:58.315Z',
        url: 'https://acme.pagerduty.dev/build/2',
        summary:
          'Build Success: Increase snapshot create timeout to 30 seconds',
      }),
    ]);
    const feed = await request(server)
      .get('/api/aiops-ingest/deployments?after=0')
      .set('authorization', service);
    expect(feed.body.items).toHaveLength(1);
  });

  it("takes the event at PagerDuty's own path, storing an unknown service as unowned", async () => {
    const { server } = await startIngest();
    const res = await post(server, '/v2/change/enqueue', ansible);
    expect(res.status).toBe(202);
    expect(res.body.deployments[0]).toMatchObject({
      change: 'created',
      unownedReason: expect.stringContaining('label service="Ansible Deploy"'),
    });
  });

  it('takes what go-pagerduty sends for unset fields: empty strings and nulls', async () => {
    const { server } = await startIngest();
    const res = await post(server, '/v2/change/enqueue', {
      routing_key: '',
      payload: {
        source: '',
        summary: 'Rotated the cart database password',
        timestamp: '',
        custom_details: null,
      },
      links: null,
    });
    expect(res.status).toBe(202);
    expect(res.body.deployments[0].change).toBe('created');
  });

  it('answers 400 naming the field, and stores nothing', async () => {
    const { server } = await startIngest();
    const res = await post(server, '/changes/pagerduty', {
      routing_key: 'k',
      payload: { source: 'ci' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: 'payload.summary is required',
    });
    const alertEvent = await post(server, '/changes/pagerduty', {
      ...cartChange,
      event_action: 'trigger',
    });
    expect(alertEvent.status).toBe(400);
    expect(alertEvent.body.error.message).toContain(
      'send it to POST /api/aiops-ingest/alerts',
    );
    const feed = await request(server)
      .get('/api/aiops-ingest/deployments?after=0')
      .set('authorization', service);
    expect(feed.body.items).toEqual([]);
  });

  it('refuses a change event sent to the alert receiver with 400 naming the route, storing nothing', async () => {
    const { server, published } = await startIngest();
    const res = await post(server, '/alerts', docsExample);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(
      /^body is a PagerDuty change event .* send change events to POST \/api\/aiops-ingest\/changes\/pagerduty$/,
    );
    const batch = await post(server, '/alerts', {
      alerts: [
        { event_action: 'trigger', payload: { summary: 'Disk full' } },
        docsExample,
      ],
    });
    expect(batch.status).toBe(400);
    expect(batch.body.error.message).toContain(
      'alerts[1] is a PagerDuty change event',
    );

    const alerts = await request(server)
      .get('/api/aiops-ingest/alerts?after=0')
      .set('authorization', service);
    expect(alerts.body.items).toEqual([]);
    expect(published).toEqual([]);
  });

  describe('authentication', () => {
    it('refuses a request without credentials like every receiver', async () => {
      const { server } = await startIngest();
      const { routing_key: _, ...withoutKey } = cartChange;
      const res = await postBare(server, '/changes/pagerduty', withoutKey);
      expect(res.status).toBe(401);
      expect(res.body.error.name).toBe('AuthenticationError');
      const keyed = await postBare(server, '/v2/change/enqueue', cartChange);
      expect(keyed.status).toBe(401);
      expect(keyed.body.error.message).toContain(
        'aiops.ingest.pagerduty.routingKeys',
      );
    });

    it('takes a listed routing_key as the credential of a request without headers', async () => {
      const { server } = await startIngest({
        pagerduty: { routingKeys: ['samplekeyhere'] },
      });
      expect(
        (await postBare(server, '/v2/change/enqueue', cartChange)).status,
      ).toBe(202);
      const unlisted = await postBare(server, '/changes/pagerduty', {
        ...cartChange,
        routing_key: 'otherkey',
      });
      expect(unlisted.status).toBe(401);
      expect(unlisted.body.error.message).toBe(
        'routing_key is not one of aiops.ingest.pagerduty.routingKeys, and no Authorization header was sent',
      );
      // Header credentials decide when present: a listed key does not excuse a bad token.
      const badToken = await request(server)
        .post('/api/aiops-ingest/changes/pagerduty')
        .set('content-type', 'application/json')
        .set('authorization', 'Bearer not-a-token')
        .send(JSON.stringify(cartChange));
      expect(badToken.status).toBe(401);
    });

    it('accepts an HMAC signature with the pagerduty secret', async () => {
      const secret = 'pagerduty-signing-secret';
      const { server } = await startIngest({
        hmacSecrets: { pagerduty: secret },
      });
      const body = JSON.stringify(cartChange);
      const res = await request(server)
        .post('/api/aiops-ingest/changes/pagerduty')
        .set('content-type', 'application/json')
        .set(
          'x-aiops-signature-256',
          `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        )
        .send(body);
      expect(res.status).toBe(202);
    });
  });
});
