import { delay, HttpResponse } from 'msw';
import { chatJson } from '../extensions/llm';
import { LlmCallError, LlmOutputError, LlmUnavailableError } from './errors';
import { GuardedLlm } from './GuardedLlm';
import { createMistralClient } from './mistralProvider';
import { readLlmSettings } from './settings';
import type { LlmCallRecord } from './status';
import {
  chatCompletion,
  fakeMistralServer,
  mistralTestConfig,
} from '../testUtils/fakeMistral';

const fake = fakeMistralServer();

beforeAll(() => fake.server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  fake.server.resetHandlers();
  fake.seen.length = 0;
  fake.onChat(() => HttpResponse.json(chatCompletion('{"ok":true}')));
});
afterAll(() => fake.server.close());

/** The real SDK, pointed at the msw host, behind the guards. */
async function guarded(llm: Record<string, unknown> = {}) {
  const settings = readLlmSettings(mistralTestConfig(llm));
  const client = await createMistralClient(settings.mistral!);
  const records: LlmCallRecord[] = [];
  const service = new GuardedLlm(client, settings).forPlugin({
    plugin: 'aiops-narrator',
    onRecord: record => records.push(record),
  });
  return { service, records };
}

const ask = (text = 'Summarise incident 42') => ({
  messages: [
    { role: 'system' as const, content: 'Answer in JSON.' },
    { role: 'user' as const, content: text },
  ],
  purpose: 'narrative',
});

const chatRequests = () =>
  fake.seen.filter(s => s.path === '/v1/chat/completions');

describe('the mistral provider behind the guards', () => {
  it('answers a JSON chat with the parsed object and records tokens, cost and latency', async () => {
    const { service, records } = await guarded();
    fake.onChat(() =>
      HttpResponse.json(chatCompletion('{"summary":"Redis is down"}')),
    );

    const result = await chatJson(service, ask());

    expect(result.json).toEqual({ summary: 'Redis is down' });
    expect(result.model).toBe('mistral-small-2506');
    expect(result.usage).toEqual({ promptTokens: 100, completionTokens: 50 });
    expect(chatRequests()).toHaveLength(1);
    const [request] = chatRequests();
    expect(request.authorization).toBe('Bearer test-key');
    expect(request.body).toMatchObject({
      model: 'mistral-small-latest',
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: 'Answer in JSON.' },
        { role: 'user', content: 'Summarise incident 42' },
      ],
    });
    expect(records).toEqual([
      expect.objectContaining({
        plugin: 'aiops-narrator',
        purpose: 'narrative',
        kind: 'chat',
        model: 'mistral-small-2506',
        outcome: 'ok',
        tokensIn: 100,
        tokensOut: 50,
        // 100 × 2 + 50 × 6 per million tokens
        cost: 0.0005,
        attempts: 1,
      }),
    ]);
    expect(records[0].latencyMs).toBeGreaterThanOrEqual(0);
    expect(service.status!()).toMatchObject({
      provider: 'mistral',
      available: true,
      breaker: 'closed',
      models: { chat: 'mistral-small-latest', embedding: 'mistral-embed' },
      budget: { tokensPerHour: 200_000, usedLastHour: 150 },
      today: {
        calls: 1,
        tokensIn: 100,
        tokensOut: 50,
        cost: 0.0005,
        currency: 'USD',
      },
    });
  });

  it('sends a JSON schema as the json_schema response format', async () => {
    const { service } = await guarded();
    await service.chat({
      ...ask(),
      responseFormat: {
        type: 'json_schema',
        name: 'narrative',
        schema: { type: 'object', properties: { summary: { type: 'string' } } },
        strict: true,
      },
    });
    expect(chatRequests()[0].body.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'narrative',
        schema: {
          type: 'object',
          properties: { summary: { type: 'string' } },
        },
        strict: true,
      },
    });
  });

  it('rejects malformed JSON in the model output with a typed error, records the tokens, does not retry', async () => {
    const { service, records } = await guarded();
    fake.onChat(() =>
      HttpResponse.json(chatCompletion('{"summary": "Redis is', undefined)),
    );

    const error = await chatJson(service, ask()).catch(e => e);

    expect(error).toBeInstanceOf(LlmOutputError);
    expect(error.content).toBe('{"summary": "Redis is');
    expect(chatRequests()).toHaveLength(1);
    expect(records).toEqual([
      expect.objectContaining({
        outcome: 'malformed-output',
        tokensIn: 100,
        tokensOut: 50,
      }),
    ]);
    expect(service.available()).toBe(true);
    // Not cached: the same question asks the model again.
    await chatJson(service, ask()).catch(() => undefined);
    expect(chatRequests()).toHaveLength(2);
  });

  it('abandons an attempt at its timeout and retries it a bounded number of times', async () => {
    const { service, records } = await guarded({
      timeouts: { chat: 'PT0.1S' },
      maxRetries: 1,
    });
    fake.onChat(async () => {
      await delay(1000);
      return HttpResponse.json(chatCompletion('{}'));
    });

    const startedAt = Date.now();
    const error = await service.chat(ask()).catch(e => e);

    expect(error).toBeInstanceOf(LlmCallError);
    expect(error.failure).toBe('timeout');
    expect(Date.now() - startedAt).toBeLessThan(900);
    expect(chatRequests()).toHaveLength(2);
    expect(records).toEqual([
      expect.objectContaining({ outcome: 'timeout', attempts: 2 }),
    ]);
  });

  it('waits as long as a 429 Retry-After says before the next attempt', async () => {
    const { service, records } = await guarded({ maxRetries: 2 });
    fake.onChat(attempt =>
      attempt === 1
        ? HttpResponse.json(
            { message: 'Requests rate limit exceeded' },
            { status: 429, headers: { 'Retry-After': '1' } },
          )
        : HttpResponse.json(chatCompletion('{"ok":true}')),
    );

    const result = await service.chat({ ...ask(), json: true });

    expect(result.json).toEqual({ ok: true });
    const [first, second] = chatRequests();
    // The backoff alone would wait about 10 ms (retry.initialDelay PT0.01S).
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    expect(records).toEqual([
      expect.objectContaining({ outcome: 'ok', attempts: 2 }),
    ]);
  });

  it('does not wait for a Retry-After longer than retry.maxDelay', async () => {
    const { service } = await guarded({
      maxRetries: 2,
      retry: { initialDelay: 'PT0.01S', maxDelay: 'PT1S' },
    });
    fake.onChat(() =>
      HttpResponse.json(
        { message: 'slow down' },
        { status: 429, headers: { 'Retry-After': '120' } },
      ),
    );
    const error = await service.chat(ask()).catch(e => e);
    expect(error).toMatchObject({
      failure: 'rate-limited',
      status: 429,
      retryAfterMs: 120_000,
    });
    expect(chatRequests()).toHaveLength(1);
  });

  it('retries a 500 and answers with the next success', async () => {
    const { service, records } = await guarded();
    fake.onChat(attempt =>
      attempt === 1
        ? HttpResponse.json({ message: 'boom' }, { status: 500 })
        : HttpResponse.json(chatCompletion('{"ok":true}')),
    );
    await expect(service.chat(ask())).resolves.toMatchObject({
      content: '{"ok":true}',
    });
    expect(chatRequests()).toHaveLength(2);
    expect(records[0]).toMatchObject({ outcome: 'ok', attempts: 2 });
  });

  it('does not retry a 400', async () => {
    const { service } = await guarded();
    fake.onChat(() =>
      HttpResponse.json({ message: 'bad model' }, { status: 400 }),
    );
    await expect(service.chat(ask())).rejects.toMatchObject({
      failure: 'client-error',
      status: 400,
    });
    expect(chatRequests()).toHaveLength(1);
  });

  it('opens the breaker after repeated failures, then reports unavailable and refuses without calling', async () => {
    const { service, records } = await guarded({
      maxRetries: 0,
      breaker: { consecutiveFailures: 3, halfOpenAfter: 'PT1M' },
    });
    fake.onChat(() => HttpResponse.json({ message: 'down' }, { status: 503 }));

    for (let i = 0; i < 3; i++) {
      await expect(service.chat(ask(`question ${i}`))).rejects.toBeInstanceOf(
        LlmCallError,
      );
    }
    expect(service.available()).toBe(false);
    expect(service.status!()).toMatchObject({
      available: false,
      unavailableReason: 'breaker-open',
      breaker: 'open',
    });

    const error = await service.chat(ask('question 4')).catch(e => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.reason).toBe('breaker-open');
    await expect(service.embed(['a'], 'similar')).rejects.toMatchObject({
      reason: 'breaker-open',
    });
    expect(chatRequests()).toHaveLength(3);
    expect(fake.seen).toHaveLength(3);
    expect(records.map(r => r.outcome)).toEqual([
      'server-error',
      'server-error',
      'server-error',
      'breaker-open',
      'breaker-open',
    ]);
  });

  it('refuses a call that does not fit in the hour’s token budget before making any request', async () => {
    const { service, records } = await guarded({ tokenBudgetPerHour: 200 });

    // 150 tokens spent by the first call leave 50: too few for this prompt's estimate.
    await service.chat(ask());
    const error = await service.chat(ask('x'.repeat(400))).catch(e => e);

    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.reason).toBe('budget-exhausted');
    expect(error.message).toMatch(/aiops.llm.tokenBudgetPerHour/);
    expect(chatRequests()).toHaveLength(1);
    expect(records.map(r => r.outcome)).toEqual(['ok', 'budget-exhausted']);
    expect(service.status!().budget).toEqual({
      tokensPerHour: 200,
      usedLastHour: 150,
      remaining: 50,
    });
  });

  it('refuses at once when the budget is smaller than the call', async () => {
    const { service } = await guarded({ tokenBudgetPerHour: 10 });
    await expect(service.chat(ask('y'.repeat(100)))).rejects.toMatchObject({
      reason: 'budget-exhausted',
    });
    expect(fake.seen).toHaveLength(0);
  });

  it('answers the same input from the cache without a second request', async () => {
    const { service, records } = await guarded();

    const first = await service.chat({ ...ask(), json: true });
    const second = await service.chat({ ...ask(), json: true });

    expect(second).toMatchObject({ content: first.content, cached: true });
    expect(second.json).toEqual({ ok: true });
    expect(chatRequests()).toHaveLength(1);
    expect(records.map(r => [r.outcome, r.tokensIn, r.cost])).toEqual([
      ['ok', 100, 0.0005],
      ['cache-hit', 0, 0],
    ]);
    expect(service.status!().today).toMatchObject({
      calls: 2,
      cacheHits: 1,
      tokensIn: 100,
    });

    // A different input is another question.
    await service.chat({ ...ask('Summarise incident 43'), json: true });
    expect(chatRequests()).toHaveLength(2);
  });

  it('embeds a batch of texts in order, asking only for the ones not cached', async () => {
    const { service, records } = await guarded();

    await expect(service.embed(['ab', 'abcd'], 'similar')).resolves.toEqual([
      [2, 0],
      [4, 1],
    ]);
    await expect(
      service.embed(['abcd', 'abc', 'ab'], 'similar'),
    ).resolves.toEqual([
      [4, 1],
      [3, 0],
      [2, 0],
    ]);

    const embeddings = fake.seen.filter(s => s.path === '/v1/embeddings');
    expect(embeddings.map(s => s.body)).toEqual([
      { model: 'mistral-embed', input: ['ab', 'abcd'] },
      { model: 'mistral-embed', input: ['abc'] },
    ]);
    expect(records).toEqual([
      expect.objectContaining({ kind: 'embed', outcome: 'ok', tokensIn: 10 }),
      expect.objectContaining({ kind: 'embed', outcome: 'ok', tokensIn: 10 }),
    ]);
    // Embeddings are priced at the input price unless told otherwise.
    expect(records[0].cost).toBeCloseTo(0.00002);
  });
});
