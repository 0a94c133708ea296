import type { Config } from '@backstage/config';
import type { LlmService } from '@aiops/plugin-aiops-node';

/**
 * What `GET /status` tells: the provider, whether it can be used now, and whatever the LLM
 * service reports of itself (breaker state, budget, tokens and cost today) when it has a
 * `status()`; the `none` provider has none.
 */
export async function narratorStatus(options: {
  rootConfig: Config;
  llm: LlmService;
  enabled: boolean;
  debounceMs: number;
  cursor(): Promise<string>;
}) {
  const { llm } = options;
  const report = (llm as { status?: () => unknown }).status;
  return {
    provider:
      options.rootConfig.getOptionalString('aiops.llm.provider') ?? 'none',
    available: llm.available(),
    ...(typeof report === 'function' && { llm: await report.call(llm) }),
    narrator: {
      enabled: options.enabled,
      debounceMs: options.debounceMs,
      cursor: await options.cursor(),
    },
  };
}
