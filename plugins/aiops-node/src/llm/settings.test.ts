import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readLlmSettings } from './settings';

const read = (llm: JsonObject) =>
  readLlmSettings(new ConfigReader({ aiops: { llm } }));

describe('readLlmSettings', () => {
  it('defaults to the provider none with the documented policies', () => {
    expect(readLlmSettings(new ConfigReader({}))).toEqual({
      provider: 'none',
      mistral: undefined,
      prices: {
        inputPerMillionTokens: 0,
        outputPerMillionTokens: 0,
        embeddingPerMillionTokens: 0,
        currency: 'USD',
      },
      chatTimeoutMs: 20_000,
      embeddingTimeoutMs: 10_000,
      maxRetries: 2,
      retryInitialDelayMs: 500,
      retryMaxDelayMs: 30_000,
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 60_000 },
      tokenBudgetPerHour: 200_000,
      cache: { maxEntries: 500, ttlMs: 3_600_000 },
    });
  });

  it('reads a mistral provider at a self-hosted endpoint', () => {
    expect(
      read({
        provider: 'mistral',
        mistral: {
          apiKey: 'secret',
          serverUrl: 'https://llm.internal.example.com',
          chatModel: 'mistral-large-latest',
          prices: {
            inputPerMillionTokens: 2,
            outputPerMillionTokens: 6,
            currency: 'EUR',
          },
        },
        timeouts: { chat: 'PT45S' },
        maxRetries: 0,
        tokenBudgetPerHour: 50_000,
      }),
    ).toMatchObject({
      provider: 'mistral',
      mistral: {
        apiKey: 'secret',
        serverUrl: 'https://llm.internal.example.com',
        chatModel: 'mistral-large-latest',
        embeddingModel: 'mistral-embed',
      },
      prices: {
        inputPerMillionTokens: 2,
        outputPerMillionTokens: 6,
        embeddingPerMillionTokens: 2,
        currency: 'EUR',
      },
      chatTimeoutMs: 45_000,
      maxRetries: 0,
      tokenBudgetPerHour: 50_000,
    });
  });

  it.each([
    [
      { provider: 'openai' },
      /aiops\.llm\.provider must be one of none, mistral/,
    ],
    [{ provider: 'mistral' }, /aiops\.llm\.mistral\.apiKey is required/],
    [
      { provider: 'mistral', mistral: { apiKey: 'k', serverUrl: 'mistral' } },
      /aiops\.llm\.mistral\.serverUrl must be an http\(s\) URL/,
    ],
    [{ timeouts: { chat: 'twenty seconds' } }, /aiops\.llm\.timeouts\.chat/],
    [{ timeouts: { embedding: 'PT0S' } }, /aiops\.llm\.timeouts\.embedding/],
    [
      { maxRetries: 11 },
      /aiops\.llm\.maxRetries must be an integer from 0 to 10/,
    ],
    [{ maxRetries: 1.5 }, /aiops\.llm\.maxRetries/],
    [{ tokenBudgetPerHour: 0 }, /aiops\.llm\.tokenBudgetPerHour/],
    [{ tokenBudgetPerHour: 'lots' }, /aiops\.llm\.tokenBudgetPerHour/],
    [
      { breaker: { consecutiveFailures: 0 } },
      /aiops\.llm\.breaker\.consecutiveFailures/,
    ],
    [
      { mistral: { prices: { inputPerMillionTokens: -1 } } },
      /aiops\.llm\.mistral\.prices\.inputPerMillionTokens/,
    ],
  ])('refuses %j naming the key', (llm, message) => {
    expect(() => read(llm)).toThrow(message);
  });
});
