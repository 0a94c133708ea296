import {
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  aiopsMetricsProvidersExtensionPoint,
  llmServiceRef,
  type LlmService,
  type MetricsProvider,
} from '.';

/** A plugin that uses the LLM service and metrics providers, as the intelligence plane will. */
function consumerPlugin(seen: {
  llm?: LlmService;
  providers?: MetricsProvider[];
}) {
  return createBackendPlugin({
    pluginId: 'aiops-test-consumer',
    register(env) {
      const providers: MetricsProvider[] = [];
      env.registerExtensionPoint(aiopsMetricsProvidersExtensionPoint, {
        addProvider: (...added) => providers.push(...added),
      });
      env.registerInit({
        deps: { llm: llmServiceRef },
        async init({ llm }) {
          seen.llm = llm;
          seen.providers = providers;
        },
      });
    },
  });
}

describe('the seams of the intelligence plane', () => {
  it('gives every plugin an LLM service that reports itself unavailable until a provider is installed', async () => {
    const seen: { llm?: LlmService } = {};
    const backend = await startTestBackend({
      features: [consumerPlugin(seen)],
    });
    expect(seen.llm!.available()).toBe(false);
    await expect(
      seen.llm!.chat({ messages: [], purpose: 'test' }),
    ).rejects.toThrow(/aiops.llm.provider/);
    await backend.stop();
  });

  it('lets a module install an LLM provider', async () => {
    const seen: { llm?: LlmService } = {};
    const fake: LlmService = {
      available: () => true,
      chat: async request => ({
        content: `echo: ${request.messages.map(m => m.content).join(' ')}`,
        model: 'fake-1',
        usage: { promptTokens: 1, completionTokens: 2 },
      }),
      embed: async texts => texts.map(t => [t.length]),
    };
    const backend = await startTestBackend({
      features: [
        consumerPlugin(seen),
        createServiceFactory({
          service: llmServiceRef,
          deps: {},
          factory: () => fake,
        }),
      ],
    });
    expect(seen.llm!.available()).toBe(true);
    await expect(
      seen.llm!.chat({
        messages: [{ role: 'user', content: 'hi' }],
        purpose: 'test',
      }),
    ).resolves.toMatchObject({ content: 'echo: hi', model: 'fake-1' });
    await backend.stop();
  });

  it('lets a module add a metrics provider to the plugin that reads metrics', async () => {
    const seen: { providers?: MetricsProvider[] } = {};
    const provider: MetricsProvider = {
      id: 'static',
      supports: async (_ref, metric) => metric === 'error_rate',
      query: async query => ({
        metric: query.metric,
        entityRef: query.entityRef,
        points: [{ at: query.from, value: 0.5 }],
      }),
    };
    const module = createBackendModule({
      pluginId: 'aiops-test-consumer',
      moduleId: 'static-metrics',
      register(env) {
        env.registerInit({
          deps: { providers: aiopsMetricsProvidersExtensionPoint },
          async init({ providers }) {
            providers.addProvider(provider);
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [consumerPlugin(seen), module],
    });
    expect(seen.providers).toEqual([provider]);
    await expect(
      seen.providers![0].query({
        entityRef: 'component:default/cart',
        metric: 'error_rate',
        from: 0,
        to: 60_000,
        stepMs: 60_000,
      }),
    ).resolves.toMatchObject({ points: [{ at: 0, value: 0.5 }] });
    await backend.stop();
  });
});
