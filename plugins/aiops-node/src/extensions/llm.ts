import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** One turn of a chat with a language model. */
export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmChatRequest {
  messages: LlmMessage[];
  /** Ask for a JSON object back (the provider's JSON mode, when it has one). */
  json?: boolean;
  maxTokens?: number;
  /** Which plugin asks, for the per-call records (tokens, cost, latency). */
  purpose: string;
}

export interface LlmChatResult {
  content: string;
  model: string;
  usage: { promptTokens: number; completionTokens: number };
}

/**
 * The language model the intelligence plane shares (narrator, retrieval, deploy risk). The data
 * plane never needs it: a caller always has a deterministic answer of its own and uses this
 * only when `available()` says so, treating any rejection as "not now".
 */
export interface LlmService {
  /** Whether a provider is configured and not switched off (breaker open, budget spent). */
  available(): boolean;
  chat(request: LlmChatRequest): Promise<LlmChatResult>;
  /** One vector per text, in order. */
  embed(texts: string[], purpose: string): Promise<number[][]>;
}

/** The provider `none`: always unavailable, so every caller takes its own deterministic path. */
export const unavailableLlm: LlmService = {
  available: () => false,
  chat: async () => {
    throw new Error('No language model is configured (aiops.llm.provider)');
  },
  embed: async () => {
    throw new Error('No language model is configured (aiops.llm.provider)');
  },
};

/**
 * The suite's LLM service. Its default is the `none` provider; a module replaces it with a real
 * one by installing a factory for this ref (issue [F] adds Mistral).
 */
export const llmServiceRef = createServiceRef<LlmService>({
  id: 'aiops.llm',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => unavailableLlm,
    }),
});
