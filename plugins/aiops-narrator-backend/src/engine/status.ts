import { llmStatus, type LlmService } from '@aiops/plugin-aiops-node';

/**
 * What `GET /status` tells: the LLM service's own report (provider, breaker state, budget used,
 * tokens and cost today; for a provider without `status()`, what can be known) and the
 * narrator's state.
 */
export async function narratorStatus(options: {
  llm: LlmService;
  enabled: boolean;
  debounceMs: number;
  cursor(): Promise<string>;
}) {
  const llm = llmStatus(options.llm);
  return {
    provider: llm.provider,
    available: options.llm.available(),
    llm,
    narrator: {
      enabled: options.enabled,
      debounceMs: options.debounceMs,
      cursor: await options.cursor(),
    },
  };
}
