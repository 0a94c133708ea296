import type { HumanDuration } from '@backstage/types';

export interface Config {
  aiops?: {
    /** Past-incident retrieval (the aiops-retrieval plugin). Durations: ISO 8601 strings (`PT30S`). */
    retrieval?: {
      /** Follow correlation's incident changes and index them. Default true. */
      enabled?: boolean;
      /** How often the change feed is read besides the `aiops.incident.changed` events. Default 30 s. */
      catchUpInterval?: string | HumanDuration;
      /**
       * The embedder. `auto` (the default): the suite's LLM service's embedding model (e.g.
       * `mistral-embed`) when the LLM service is configured and available at start, else
       * `hashed-ngrams`. `llm`: the LLM service's, with a warning and `hashed-ngrams` when it is
       * not available. Offline: `hashed-ngrams` (hashed word and character n-grams; microseconds
       * a document) or `use-lite` (Universal Sentence Encoder-lite, weights shipped in the npm
       * package, no network; tens of milliseconds a document). A change of model re-embeds the
       * index at start; with the LLM that costs its tokens (see docs/cost-model.md).
       */
      embedder?: 'auto' | 'hashed-ngrams' | 'use-lite' | 'llm';
      /** How the lexical, vector and structural scores are combined. */
      fusion?: {
        /** `minmax` (min-max normalisation, weighted mean; the default) or `rrf` (reciprocal rank fusion). */
        method?: 'minmax' | 'rrf';
        /** Relative weights of the signals. Defaults 0.35, 0.35, 0.3. */
        weights?: {
          lexical?: number;
          vector?: number;
          structural?: number;
        };
        /** RRF's rank constant. Default 60. */
        rrfK?: number;
      };
    };
  };
}
