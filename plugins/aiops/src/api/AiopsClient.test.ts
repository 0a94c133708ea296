import { MockFetchApi } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import {
  CORRELATION,
  DEPLOY_RISK,
  INGEST,
  REGRESSION,
  RETRIEVAL,
  backstageError,
  createAiopsClient,
  setupAiopsServer,
} from '../__testUtils__/aiopsTestApp';

const server = setupAiopsServer();

describe('AiopsClient', () => {
  const client = createAiopsClient(
    new MockFetchApi({ injectIdentityAuth: { token: 'user-token' } }),
  );

  it("asks correlation for an entity's health with the user's token", async () => {
    let seen: { url: string; authorization: string | null } | undefined;
    server.use(
      http.get(`${CORRELATION}/entities/:ref/health`, ({ request }) => {
        seen = {
          url: request.url,
          authorization: request.headers.get('authorization'),
        };
        return HttpResponse.json({
          entityRef: 'component:default/cart',
          status: 'healthy',
        });
      }),
    );
    await expect(
      client.getEntityHealth('component:default/cart'),
    ).resolves.toMatchObject({
      status: 'healthy',
    });
    expect(seen).toEqual({
      url: `${CORRELATION}/entities/component%3Adefault%2Fcart/health`,
      authorization: 'Bearer user-token',
    });
  });

  it('lists incidents with comma-separated filters', async () => {
    let search = '';
    server.use(
      http.get(`${CORRELATION}/incidents`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json({ items: [] });
      }),
    );
    await client.listIncidents({
      entityRef: 'component:default/cart',
      status: ['open', 'acknowledged'],
    });
    expect(new URLSearchParams(search).get('status')).toBe('open,acknowledged');
    expect(new URLSearchParams(search).get('entityRef')).toBe(
      'component:default/cart',
    );
  });

  it('sends a resolution with the resolve, and no body without one', async () => {
    const bodies: string[] = [];
    server.use(
      http.post(`${CORRELATION}/incidents/:id/resolve`, async ({ request }) => {
        bodies.push(await request.text());
        return HttpResponse.json({ id: 'x', status: 'resolved' });
      }),
    );
    await client.resolveIncident('x', { note: 'Rolled back cart' });
    await client.resolveIncident('x');
    expect(bodies).toEqual(['{"resolution":{"note":"Rolled back cart"}}', '']);
  });

  it('asks aiops-retrieval for similar incidents and searches it', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${RETRIEVAL}/incidents/:id/similar`, ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json({ incidentId: 'inc 1', hits: [] });
      }),
      http.post(`${RETRIEVAL}/search`, async ({ request }) => {
        seen.push(await request.text());
        return HttpResponse.json({ hits: [] });
      }),
    );
    await client.getSimilarIncidents('inc 1', { k: 3 });
    await client.searchIncidents({ query: 'redis down', k: 10 });
    expect(seen).toEqual([
      `${RETRIEVAL}/incidents/inc%201/similar?k=3`,
      '{"query":"redis down","k":10}',
    ]);
  });

  it('asks ingest, the regression detector and deploy risk with the query their specs name', async () => {
    const seen: string[] = [];
    const record = ({ request }: { request: Request }) => {
      seen.push(
        `${request.method} ${request.url} ${request.headers.get(
          'authorization',
        )}`,
      );
      return HttpResponse.json({ items: [] });
    };
    server.use(
      http.get(`${INGEST}/deployments`, record),
      http.get(`${REGRESSION}/regressions`, record),
      http.post(`${REGRESSION}/regressions/:id/dismiss`, record),
      http.get(`${REGRESSION}/entities/:ref/series`, record),
      http.get(`${DEPLOY_RISK}/assessments`, record),
    );
    await client.listDeployments({
      entityRef: 'component:default/cart',
      limit: 5,
    });
    await client.listRegressions({
      entityRef: 'component:default/cart',
      status: ['active', 'acknowledged'],
    });
    await client.dismissRegression('reg 1');
    await client.getEntitySeries('component:default/cart', {
      metric: 'latency_p99',
      from: '2026-01-01T00:00:00.000Z',
    });
    await client.listAssessments({
      entityRef: 'component:default/cart',
      limit: 20,
    });
    expect(seen).toEqual([
      `GET ${INGEST}/deployments?entityRef=component%3Adefault%2Fcart&limit=5 Bearer user-token`,
      `GET ${REGRESSION}/regressions?entityRef=component%3Adefault%2Fcart&status=active%2Cacknowledged Bearer user-token`,
      `POST ${REGRESSION}/regressions/reg%201/dismiss Bearer user-token`,
      `GET ${REGRESSION}/entities/component%3Adefault%2Fcart/series?metric=latency_p99&from=2026-01-01T00%3A00%3A00.000Z Bearer user-token`,
      `GET ${DEPLOY_RISK}/assessments?entityRef=component%3Adefault%2Fcart&limit=20 Bearer user-token`,
    ]);
  });

  it('turns an error answer into an error with its message', async () => {
    server.use(
      http.post(`${CORRELATION}/incidents/:id/acknowledge`, () =>
        backstageError(409, 'ConflictError', 'Incident x is resolved', {
          method: 'POST',
          url: '/incidents/x/acknowledge',
        }),
      ),
    );
    await expect(client.acknowledgeIncident('x')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 409,
      cause: { name: 'ConflictError', message: 'Incident x is resolved' },
    });
  });
});
