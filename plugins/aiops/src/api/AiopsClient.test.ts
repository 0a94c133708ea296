import { MockFetchApi } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import {
  CORRELATION,
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
