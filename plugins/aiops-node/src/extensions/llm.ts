import { createServiceRef } from '@backstage/backend-plugin-api';
import { LlmOutputError } from '../llm/errors';
import type { LlmStatus } from '../llm/status';
import { createLlmServiceFactory } from '../llm/llmServiceFactory';

/** One turn of a chat with a language model. */
export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * Structured output: any JSON object, or one following a JSON schema (the provider's JSON schema
 * mode; the service still parses the answer, it does not validate it against the schema).
 */
export type LlmResponseFormat =
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      strict?: boolean;
    };

export interface LlmChatRequest {
  messages: LlmMessage[];
  /** Ask for a JSON object back (the provider's JSON mode, when it has one). */
  json?: boolean;
  /** Structured output; takes precedence over `json`. */
  responseFormat?: LlmResponseFormat;
  maxTokens?: number;
  /** Which plugin asks, for the per-call records (tokens, cost, latency). */
  purpose: string;
}

export interface LlmChatResult {
  content: string;
  model: string;
  usage: { promptTokens: number; completionTokens: number };
  /** The parsed answer, when JSON was asked for (`json` or `responseFormat`). */
  json?: unknown;
  /** Answered from the cache: no tokens spent. */
  cached?: boolean;
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
  /**
   * Provider, breaker, budget and today's tokens and cost (the narrator's `GET /status`).
   * Optional so that providers written before it still fit; read it with `llmStatus`.
   */
  status?(): LlmStatus;
}

/** What the service says of itself; for a provider without `status()`, what can be known. */
export function llmStatus(llm: LlmService): LlmStatus {
  return (
    llm.status?.() ?? {
      provider: 'custom',
      available: llm.available(),
      breaker: 'none',
    }
  );
}

/**
 * A chat answered with JSON: the parsed object, or an `LlmOutputError` when the model's text is
 * not JSON. Works with any provider: it asks for `json_object` unless the request names a format,
 * and parses the text itself when the provider did not.
 */
export async function chatJson(
  llm: LlmService,
  request: LlmChatRequest,
): Promise<LlmChatResult & { json: unknown }> {
  const result = await llm.chat({
    ...request,
    responseFormat: request.responseFormat ?? { type: 'json_object' },
  });
  if (result.json !== undefined) return { ...result, json: result.json };
  try {
    return { ...result, json: JSON.parse(result.content) };
  } catch (error) {
    throw new LlmOutputError(
      `The model's answer is not JSON: ${(error as Error).message}`,
      result.content,
    );
  }
}

export { unavailableLlm } from '../llm/unavailableLlm';

/**
 * The suite's LLM service. Its default factory reads `aiops.llm.provider`: `none` (the default)
 * or `mistral`; a module replaces it with another provider by installing a factory for this ref.
 * The provider's SDK is loaded only when it is configured.
 */
export const llmServiceRef = createServiceRef<LlmService>({
  id: 'aiops.llm',
  defaultFactory: async service => createLlmServiceFactory(service),
});
