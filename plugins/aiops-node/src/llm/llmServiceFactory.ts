import {
  coreServices,
  createServiceFactory,
  type ServiceRef,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import type { LlmService } from '../extensions/llm';
import { GuardedLlm } from './GuardedLlm';
import { llmMetricsRecorder } from './llmMetrics';
import { createMistralClient } from './mistralProvider';
import { readLlmSettings } from './settings';
import { unavailableLlm } from './unavailableLlm';

/**
 * The factory `llmServiceRef` defaults to: the provider `aiops.llm.provider` names, behind the
 * guards. The provider, its breaker, budget, cache and records live in the root context, once per
 * backend; each plugin gets a view that records its calls under its id and in its metrics. A
 * wrong setting fails the start of the first plugin that depends on the service, naming the key.
 */
export function createLlmServiceFactory(
  service: ServiceRef<LlmService, 'plugin', 'singleton'>,
) {
  return createServiceFactory({
    service,
    deps: {
      config: coreServices.rootConfig,
      rootLogger: coreServices.rootLogger,
      plugin: coreServices.pluginMetadata,
      metrics: metricsServiceRef,
    },
    async createRootContext({ config, rootLogger }) {
      const settings = readLlmSettings(config);
      if (settings.provider === 'none') return undefined;
      const logger = rootLogger.child({ service: 'aiops-llm' });
      const client = await createMistralClient(settings.mistral!);
      logger.info(
        `LLM provider mistral at ${
          settings.mistral!.serverUrl ?? 'the Mistral API'
        }: chat ${client.chatModel}, embeddings ${client.embeddingModel}, ${
          settings.tokenBudgetPerHour
        } tokens per hour`,
      );
      return new GuardedLlm(client, settings, { logger });
    },
    factory({ plugin, metrics }, guarded) {
      if (!guarded) return unavailableLlm;
      return guarded.forPlugin({
        plugin: plugin.getId(),
        onRecord: llmMetricsRecorder(metrics),
      });
    },
  });
}
