import type { Config } from '@backstage/config';
import { readDurationMs } from '@aiops/plugin-aiops-node';
import { DEFAULT_FUSION, type FusionOptions } from './service/types';

/** The offline embedders (`hashed-ngrams@1`, `use-lite@1`). */
export type OfflineEmbedderName = 'hashed-ngrams' | 'use-lite';
/**
 * `llm`: the suite's LLM service's embeddings (`mistral-embed`); `auto`: those when the LLM
 * service is configured and available at start, else the offline default.
 */
export type EmbedderName = OfflineEmbedderName | 'llm' | 'auto';
export const EMBEDDERS: EmbedderName[] = [
  'auto',
  'hashed-ngrams',
  'use-lite',
  'llm',
];
/** The evaluation's choice among the offline ones (docs/retrieval.md, "Evaluation"). */
export const DEFAULT_OFFLINE_EMBEDDER: OfflineEmbedderName = 'hashed-ngrams';

export interface RetrievalConfig {
  enabled: boolean;
  catchUpIntervalMs: number;
  embedder: EmbedderName;
  fusion: FusionOptions;
}

function weight(config: Config | undefined, key: string, fallback: number) {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new Error(
      `aiops.retrieval.fusion.weights.${key} must be a number of 0 or more, not ${value}`,
    );
  return value;
}

/** `aiops.retrieval.*`, with defaults; a malformed value fails the plugin's start naming its key. */
export function readRetrievalConfig(root: Config): RetrievalConfig {
  const config = root.getOptionalConfig('aiops.retrieval');
  const fusion = config?.getOptionalConfig('fusion');
  const method = fusion?.getOptionalString('method') ?? DEFAULT_FUSION.method;
  if (method !== 'minmax' && method !== 'rrf')
    throw new Error(
      `aiops.retrieval.fusion.method must be minmax or rrf, not ${method}`,
    );
  const embedder = config?.getOptionalString('embedder') ?? 'auto';
  if (!EMBEDDERS.includes(embedder as EmbedderName))
    throw new Error(
      `aiops.retrieval.embedder must be one of ${EMBEDDERS.join(
        ', ',
      )}, not ${embedder}`,
    );
  const weights = fusion?.getOptionalConfig('weights');
  const rrfK = fusion?.getOptionalNumber('rrfK') ?? DEFAULT_FUSION.rrfK;
  if (!(rrfK > 0))
    throw new Error(`aiops.retrieval.fusion.rrfK must be above 0, not ${rrfK}`);
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    catchUpIntervalMs: readDurationMs(
      root,
      'aiops.retrieval.catchUpInterval',
      { seconds: 30 },
      { positive: true },
    ),
    embedder: embedder as EmbedderName,
    fusion: {
      method,
      rrfK,
      weights: {
        lexical: weight(weights, 'lexical', DEFAULT_FUSION.weights.lexical),
        vector: weight(weights, 'vector', DEFAULT_FUSION.weights.vector),
        structural: weight(
          weights,
          'structural',
          DEFAULT_FUSION.weights.structural,
        ),
      },
    },
  };
}
