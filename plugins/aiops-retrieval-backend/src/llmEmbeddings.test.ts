import request from 'supertest';
import { HttpResponse } from 'msw';
import type { AiopsRetrievalApi, Incident } from '@aiops/plugin-aiops-common';
import {
  embeddingsResponse,
  fakeMistralServer,
  FAKE_MISTRAL_URL,
} from '@aiops/plugin-aiops-node/testUtils';
import {
  asUser,
  eventually,
  sendAlerts,
  startRetrievalSuite,
  storm,
  type RetrievalSuite,
} from './__testUtils__/startRetrievalSuite';

jest.setTimeout(120_000);

const RETRIEVAL = '/api/aiops-retrieval';
const CORRELATION = '/api/aiops-correlation';

/** The suite's LLM service on the Mistral provider, whose API msw answers. */
const MISTRAL = {
  llm: {
    provider: 'mistral',
    timeouts: { chat: 'PT2S', embedding: 'PT2S' },
    retry: { initialDelay: 'PT0.01S', maxDelay: 'PT0.05S', maxAttempts: 1 },
    mistral: {
      apiKey: 'test-key',
      serverUrl: FAKE_MISTRAL_URL,
      embeddingModel: 'mistral-embed',
    },
  },
};

describe('retrieval with the LLM service’s embeddings', () => {
  const fake = fakeMistralServer();
  beforeAll(() => fake.server.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => fake.server.close());

  let suite: RetrievalSuite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
    fake.seen.length = 0;
    fake.onEmbeddings(input => HttpResponse.json(embeddingsResponse(input)));
  });

  const search = async (query: string) =>
    (
      await request(suite!.server)
        .post(`${RETRIEVAL}/search`)
        .set('authorization', asUser())
        .send({ query })
        .expect(200)
    ).body as AiopsRetrievalApi.RetrievalResult;

  async function indexedStorm(): Promise<Incident> {
    await sendAlerts(suite!.server, storm());
    return eventually('the storm incident, indexed', async () => {
      await suite!.tick();
      await suite!.catchUp();
      const [found] = (
        await request(suite!.server)
          .get(`${CORRELATION}/incidents`)
          .set('authorization', asUser())
      ).body.items as Incident[];
      return found && (await search('redis')).hits.length > 0 && found;
    });
  }

  it('embeds documents and queries with mistral-embed through the LLM service when it is configured (auto)', async () => {
    suite = await startRetrievalSuite({ aiops: MISTRAL });
    await indexedStorm();
    const answer = await search('redis down');
    expect(answer).toMatchObject({
      mode: 'hybrid',
      model: 'llm:mistral-embed',
    });
    expect(answer.hits[0].why.signals.vector).toBeDefined();
    const embedded = fake.seen.filter(s => s.path === '/v1/embeddings');
    expect(embedded.length).toBeGreaterThanOrEqual(2);
    expect(embedded[0].body).toMatchObject({ model: 'mistral-embed' });
    expect(embedded[0].authorization).toBe('Bearer test-key');
  });

  it('answers by words and structure, marked lexical-structural, when the embedding API fails', async () => {
    suite = await startRetrievalSuite({ aiops: MISTRAL });
    fake.onEmbeddings(() =>
      HttpResponse.json({ message: 'down' }, { status: 500 }),
    );
    await indexedStorm();
    const answer = await search('redis down');
    expect(answer.mode).toBe('lexical-structural');
    expect(answer.model).toBe('llm:mistral-embed');
    expect(answer.hits.length).toBeGreaterThan(0);
    expect(answer.hits[0].why.signals.vector).toBeUndefined();
  });

  it('embeds offline when no LLM is configured, even when asked for auto', async () => {
    suite = await startRetrievalSuite({
      aiops: { retrieval: { embedder: 'auto' } },
    });
    await indexedStorm();
    expect((await search('redis')).model).toBe('hashed-ngrams@1');
    expect(fake.seen).toEqual([]);
  });
});
