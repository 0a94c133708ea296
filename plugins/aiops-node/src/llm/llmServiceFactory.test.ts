import {
  createBackendPlugin,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { HttpResponse } from 'msw';
import { llmServiceRef, llmStatus, type LlmService } from '../extensions/llm';
import { chatCompletion, fakeMistralServer } from '../testUtils/fakeMistral';

const fake = fakeMistralServer();
beforeAll(() => fake.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => fake.server.close());

function consumer(pluginId: string, seen: Record<string, LlmService>) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { llm: llmServiceRef },
        async init({ llm }) {
          seen[pluginId] = llm;
        },
      });
    },
  });
}

async function start(llm: JsonObject, features: BackendFeature[]) {
  return startTestBackend({
    features: [
      ...features,
      mockServices.rootConfig.factory({ data: { aiops: { llm } } }),
    ],
  });
}

describe('the LLM service factory', () => {
  it('gives every plugin the configured mistral provider, sharing one budget and one set of totals', async () => {
    const seen: Record<string, LlmService> = {};
    fake.onChat(() => HttpResponse.json(chatCompletion('{"ok":true}')));
    const backend = await start(
      {
        provider: 'mistral',
        tokenBudgetPerHour: 1000,
        mistral: {
          apiKey: 'test-key',
          serverUrl: 'https://mistral.llm.test',
        },
      },
      [consumer('aiops-narrator', seen), consumer('aiops-similar', seen)],
    );

    const narrator = seen['aiops-narrator'];
    await narrator.chat({
      messages: [{ role: 'user', content: 'hi' }],
      purpose: 'narrative',
    });

    const status = llmStatus(seen['aiops-similar']);
    expect(status).toMatchObject({
      provider: 'mistral',
      available: true,
      breaker: 'closed',
      budget: { tokensPerHour: 1000, usedLastHour: 150 },
      today: { calls: 1 },
    });
    expect(status.recent![0]).toMatchObject({
      plugin: 'aiops-narrator',
      purpose: 'narrative',
      outcome: 'ok',
    });
    await backend.stop();
  });

  it('gives the provider none when aiops.llm.provider is absent', async () => {
    const seen: Record<string, LlmService> = {};
    const backend = await start({}, [consumer('aiops-narrator', seen)]);
    expect(llmStatus(seen['aiops-narrator'])).toEqual({
      provider: 'none',
      available: false,
      unavailableReason: 'not-configured',
      breaker: 'none',
    });
    await expect(
      seen['aiops-narrator'].chat({ messages: [], purpose: 'test' }),
    ).rejects.toMatchObject({
      name: 'LlmUnavailableError',
      reason: 'not-configured',
    });
    await backend.stop();
  });

  it('refuses to start with a wrong setting, naming the key', async () => {
    await expect(
      start({ provider: 'mistral', mistral: {} }, [consumer('aiops-x', {})]),
    ).rejects.toThrow(/aiops\.llm\.mistral\.apiKey is required/);
  });
});
