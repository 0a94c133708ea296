import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readDurationMs } from '../config';

export const LLM_PROVIDERS = ['none', 'mistral'] as const;
export type LlmProviderName = (typeof LLM_PROVIDERS)[number];

export interface MistralSettings {
  apiKey: string;
  /** A self-hosted Mistral-compatible endpoint; the SDK's default (api.mistral.ai) when absent. */
  serverUrl?: string;
  chatModel: string;
  embeddingModel: string;
}

/** Prices per million tokens, in `currency`, for the per-call cost. */
export interface LlmPrices {
  inputPerMillionTokens: number;
  outputPerMillionTokens: number;
  embeddingPerMillionTokens: number;
  currency: string;
}

/** `aiops.llm`, read and checked once at start. */
export interface LlmSettings {
  provider: LlmProviderName;
  mistral?: MistralSettings;
  prices: LlmPrices;
  chatTimeoutMs: number;
  embeddingTimeoutMs: number;
  /** Retries after the first attempt, on 429, 408, 5xx, timeouts and dropped connections. */
  maxRetries: number;
  retryInitialDelayMs: number;
  /** The longest wait between attempts; a `Retry-After` longer than this is not waited for. */
  retryMaxDelayMs: number;
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number };
  tokenBudgetPerHour: number;
  cache: { maxEntries: number; ttlMs: number };
}

/**
 * Reads `aiops.llm` from the root config. A wrong value throws an `InputError` naming the key, so
 * the backend refuses to start rather than run with a setting the operator did not mean.
 */
export function readLlmSettings(config: Config): LlmSettings {
  const provider = config.getOptionalString('aiops.llm.provider') ?? 'none';
  if (!(LLM_PROVIDERS as readonly string[]).includes(provider)) {
    throw new InputError(
      `aiops.llm.provider must be one of ${LLM_PROVIDERS.join(
        ', ',
      )}, got '${provider}'`,
    );
  }
  const duration = (key: string, fallback: { seconds: number }) =>
    readDurationMs(config, `aiops.llm.${key}`, fallback, { positive: true });
  const mistralPrices = (key: string) =>
    count(config, `aiops.llm.mistral.prices.${key}`, 0, { integer: false });
  const inputPerMillionTokens = mistralPrices('inputPerMillionTokens');
  return {
    provider: provider as LlmProviderName,
    mistral: provider === 'mistral' ? readMistral(config) : undefined,
    prices: {
      inputPerMillionTokens,
      outputPerMillionTokens: mistralPrices('outputPerMillionTokens'),
      embeddingPerMillionTokens: config.has(
        'aiops.llm.mistral.prices.embeddingPerMillionTokens',
      )
        ? mistralPrices('embeddingPerMillionTokens')
        : inputPerMillionTokens,
      currency:
        config.getOptionalString('aiops.llm.mistral.prices.currency') ?? 'USD',
    },
    chatTimeoutMs: duration('timeouts.chat', { seconds: 20 }),
    embeddingTimeoutMs: duration('timeouts.embedding', { seconds: 10 }),
    maxRetries: count(config, 'aiops.llm.maxRetries', 2, { max: 10 }),
    retryInitialDelayMs: duration('retry.initialDelay', { seconds: 0.5 }),
    retryMaxDelayMs: duration('retry.maxDelay', { seconds: 30 }),
    breaker: {
      consecutiveFailures: count(
        config,
        'aiops.llm.breaker.consecutiveFailures',
        5,
        { min: 1 },
      ),
      halfOpenAfterMs: duration('breaker.halfOpenAfter', { seconds: 60 }),
    },
    tokenBudgetPerHour: count(config, 'aiops.llm.tokenBudgetPerHour', 200_000, {
      min: 1,
    }),
    cache: {
      maxEntries: count(config, 'aiops.llm.cache.maxEntries', 500),
      ttlMs: duration('cache.ttl', { seconds: 3600 }),
    },
  };
}

function readMistral(config: Config): MistralSettings {
  const apiKey = config.getOptionalString('aiops.llm.mistral.apiKey');
  if (!apiKey) {
    throw new InputError(
      "aiops.llm.mistral.apiKey is required when aiops.llm.provider is 'mistral'",
    );
  }
  const serverUrl = config.getOptionalString('aiops.llm.mistral.serverUrl');
  if (serverUrl !== undefined && !isHttpUrl(serverUrl)) {
    throw new InputError(
      `aiops.llm.mistral.serverUrl must be an http(s) URL, got '${serverUrl}'`,
    );
  }
  return {
    apiKey,
    serverUrl,
    chatModel:
      config.getOptionalString('aiops.llm.mistral.chatModel') ??
      'mistral-small-latest',
    embeddingModel:
      config.getOptionalString('aiops.llm.mistral.embeddingModel') ??
      'mistral-embed',
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A non-negative number setting (an integer unless told otherwise), named in its error. */
function count(
  config: Config,
  key: string,
  fallback: number,
  options: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = options;
  if (
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    throw new InputError(
      `${key} must be ${integer ? 'an integer' : 'a number'} from ${min}${
        max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`
      }, got ${JSON.stringify(config.get(key))}`,
    );
  }
  return value;
}
