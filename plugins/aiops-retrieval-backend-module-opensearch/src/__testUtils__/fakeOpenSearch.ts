import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

export const NODE = 'http://opensearch.test:9200';

export interface RecordedRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
}

/**
 * OpenSearch at the wire, for the real client: msw answers its HTTP requests, keeps what bulk
 * requests index (so get, mget, list and count answer from it) and records every request.
 * Searches answer the kept documents, best first in the order they were indexed; a test
 * asserts what was asked, not OpenSearch's ranking.
 */
export function fakeOpenSearch() {
  const requests: RecordedRequest[] = [];
  const indices = new Set<string>();
  const docs = new Map<string, Record<string, unknown>>();
  /** Ids the next bulk request fails, with OpenSearch's error. */
  const failNextBulk = new Map<string, { type: string; reason: string }>();
  let failSearchWith: number | undefined;

  const record = async (request: Request) => {
    const url = new URL(request.url);
    const text = request.method === 'HEAD' ? '' : await request.text();
    let body: unknown = text;
    if (text && url.pathname.endsWith('/_bulk'))
      body = text
        .split('\n')
        .filter(Boolean)
        .map(line => JSON.parse(line));
    else if (text) body = JSON.parse(text);
    requests.push({
      method: request.method,
      path: url.pathname,
      search: url.searchParams,
      body,
    });
    return body;
  };

  const hitsFor = (body: any) => {
    const excluded = JSON.stringify(body?.query ?? {}).match(
      /"must_not":\[\{"term":\{"incidentId":"([^"]{1,200})"\}\}\]/,
    )?.[1];
    const all = [...docs.entries()].filter(([id]) => id !== excluded);
    return all.slice(0, body?.size ?? 10).map(([id, source], i) => ({
      _id: id,
      _score: 1 - i / (all.length + 1),
      _source: source,
    }));
  };

  const server = setupServer(
    http.head(`${NODE}/:index`, async ({ request, params }) => {
      await record(request);
      return new HttpResponse(null, {
        status: indices.has(String(params.index)) ? 200 : 404,
      });
    }),
    http.put(`${NODE}/_search/pipeline/:id`, async ({ request }) => {
      await record(request);
      return HttpResponse.json({ acknowledged: true });
    }),
    http.put(`${NODE}/:index`, async ({ request, params }) => {
      await record(request);
      indices.add(String(params.index));
      return HttpResponse.json({ acknowledged: true, index: params.index });
    }),
    http.post(`${NODE}/_bulk`, async ({ request }) => {
      const lines = (await record(request)) as Array<any>;
      const items = [];
      for (let i = 0; i < lines.length; i += 2) {
        const id = lines[i].index._id as string;
        const failure = failNextBulk.get(id);
        if (failure)
          items.push({ index: { _id: id, status: 400, error: failure } });
        else {
          docs.set(id, lines[i + 1]);
          items.push({ index: { _id: id, status: 201, result: 'created' } });
        }
      }
      const errors = failNextBulk.size > 0;
      failNextBulk.clear();
      return HttpResponse.json({ took: 1, errors, items });
    }),
    http.post(`${NODE}/:index/_search`, async ({ request }) => {
      const body = await record(request);
      if (failSearchWith)
        return HttpResponse.json(
          {
            error: {
              type: 'search_phase_execution_exception',
              reason: 'all shards failed',
            },
            status: failSearchWith,
          },
          { status: failSearchWith },
        );
      return HttpResponse.json({ hits: { hits: hitsFor(body) } });
    }),
    http.get(`${NODE}/:index/_doc/:id`, async ({ request, params }) => {
      await record(request);
      const source = docs.get(String(params.id));
      return source
        ? HttpResponse.json({ _id: params.id, found: true, _source: source })
        : HttpResponse.json({ _id: params.id, found: false }, { status: 404 });
    }),
    http.post(`${NODE}/:index/_mget`, async ({ request }) => {
      const body = (await record(request)) as { ids: string[] };
      return HttpResponse.json({
        docs: body.ids.map(id =>
          docs.has(id)
            ? { _id: id, found: true, _source: docs.get(id) }
            : { _id: id, found: false },
        ),
      });
    }),
    http.post(`${NODE}/:index/_count`, async ({ request }) => {
      const body = (await record(request)) as any;
      const model = body?.query?.bool?.must_not?.[0]?.term?.embeddingModel;
      const count = model
        ? [...docs.values()].filter(d => d.embeddingModel !== model).length
        : docs.size;
      return HttpResponse.json({ count });
    }),
  );
  return {
    server,
    requests,
    docs,
    failNextBulk,
    failSearches(status: number | undefined) {
      failSearchWith = status;
    },
    /** The recorded requests to a path (`/_bulk`, `/aiops-incidents/_search`, …). */
    to(path: string, method?: string) {
      return requests.filter(
        r => r.path === path && (!method || r.method === method),
      );
    },
  };
}
