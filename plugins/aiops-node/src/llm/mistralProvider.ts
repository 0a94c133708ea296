import { LlmCallError, type LlmCallFailure } from './errors';
import { parseRetryAfter } from './callPolicy';
import type { LlmChatRequest } from '../extensions/llm';
import { loadMistralSdk, type SdkLoadPath } from './loadMistralSdk';
import type { MistralSettings } from './settings';

/** What a provider does for one attempt; the policies, budget, cache and records wrap it. */
export interface LlmProviderClient {
  readonly name: string;
  readonly chatModel: string;
  readonly embeddingModel: string;
  chat(
    request: LlmChatRequest,
    signal: AbortSignal,
  ): Promise<{
    content: string;
    model: string;
    usage: { promptTokens: number; completionTokens: number };
  }>;
  embed(
    texts: string[],
    signal: AbortSignal,
  ): Promise<{ vectors: number[][]; model: string; promptTokens: number }>;
}

/**
 * The `mistral` provider through the official SDK, at api.mistral.ai or a self-hosted
 * Mistral-compatible `serverUrl`. The SDK's own retries and timeout are off: the call policies
 * own both, so there is one retry budget and one breaker, not two stacked.
 */
export async function createMistralClient(
  settings: MistralSettings,
): Promise<LlmProviderClient & { loadedBy: SdkLoadPath }> {
  const { sdk, loadedBy } = await loadMistralSdk();
  const client = new sdk.Mistral({
    apiKey: settings.apiKey,
    serverURL: settings.serverUrl,
    retryConfig: { strategy: 'none' },
  });
  return {
    name: 'mistral',
    loadedBy,
    chatModel: settings.chatModel,
    embeddingModel: settings.embeddingModel,
    async chat(request, signal) {
      const response = await client.chat
        .complete(
          {
            model: settings.chatModel,
            messages: request.messages,
            maxTokens: request.maxTokens,
            responseFormat: responseFormatOf(request),
          },
          { signal },
        )
        .catch(toCallError);
      const content = response.choices?.[0]?.message?.content;
      return {
        content: typeof content === 'string' ? content : textOf(content),
        model: response.model ?? settings.chatModel,
        usage: {
          promptTokens: response.usage?.promptTokens ?? 0,
          completionTokens: response.usage?.completionTokens ?? 0,
        },
      };
    },
    async embed(texts, signal) {
      const response = await client.embeddings
        .create({ model: settings.embeddingModel, inputs: texts }, { signal })
        .catch(toCallError);
      const data = [...(response.data ?? [])].sort(
        (a, b) => (a.index ?? 0) - (b.index ?? 0),
      );
      if (data.length !== texts.length) {
        throw new LlmCallError(
          `The provider returned ${data.length} embeddings for ${texts.length} texts`,
          { failure: 'bad-response' },
        );
      }
      return {
        vectors: data.map(d => d.embedding ?? []),
        model: response.model ?? settings.embeddingModel,
        promptTokens: response.usage?.promptTokens ?? 0,
      };
    },
  };
}

function responseFormatOf(request: LlmChatRequest) {
  const format =
    request.responseFormat ??
    (request.json ? { type: 'json_object' as const } : undefined);
  if (!format) return undefined;
  if (format.type === 'json_object') return { type: 'json_object' as const };
  return {
    type: 'json_schema' as const,
    jsonSchema: {
      name: format.name,
      schemaDefinition: format.schema,
      strict: format.strict,
    },
  };
}

/** A chunked answer's text parts, joined (JSON mode answers with one text chunk). */
function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map(chunk =>
      chunk && typeof chunk === 'object' && 'text' in chunk
        ? String((chunk as { text: unknown }).text)
        : '',
    )
    .join('');
}

/**
 * The SDK's errors as `LlmCallError`s the policies can judge. Matched by shape, not class: the
 * classes belong to the SDK instance loaded (natively or through jest's registry).
 */
export function toCallError(error: unknown): never {
  const e = error as {
    name?: string;
    message?: string;
    statusCode?: unknown;
    headers?: { get?(name: string): string | null };
  };
  if (typeof e?.statusCode === 'number') {
    const status = e.statusCode;
    let failure: LlmCallFailure = 'client-error';
    if (status === 429) failure = 'rate-limited';
    else if (status >= 500 || status === 408) failure = 'server-error';
    throw new LlmCallError(`The provider answered HTTP ${status}`, {
      failure,
      status,
      retryAfterMs: parseRetryAfter(e.headers?.get?.('retry-after')),
      cause: error,
    });
  }
  if (e?.name === 'ConnectionError' || e?.name === 'RequestTimeoutError') {
    throw new LlmCallError(`Could not reach the provider: ${e.message}`, {
      failure: 'network',
      cause: error,
    });
  }
  if (e?.name === 'RequestAbortedError' || e?.name === 'AbortError') {
    throw new LlmCallError('The request was aborted', {
      failure: 'timeout',
      cause: error,
    });
  }
  throw new LlmCallError(
    `The provider's answer could not be read: ${e?.message ?? error}`,
    { failure: 'bad-response', cause: error },
  );
}
