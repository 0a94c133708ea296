import type { LlmService } from '../extensions/llm';
import { LlmUnavailableError } from './errors';

function notConfigured() {
  return new LlmUnavailableError(
    'not-configured',
    'No language model is configured (aiops.llm.provider)',
  );
}

/** The provider `none`: always unavailable, so every caller takes its own deterministic path. */
export const unavailableLlm: LlmService = {
  available: () => false,
  chat: async () => {
    throw notConfigured();
  },
  embed: async () => {
    throw notConfigured();
  },
  status: () => ({
    provider: 'none',
    available: false,
    unavailableReason: 'not-configured',
    breaker: 'none',
  }),
};
