import type { HumanDuration } from '@backstage/types';

export interface Config {
  aiops?: {
    catalog?: {
      /**
       * When each backend instance reloads the catalog snapshot used to key signals to
       * entities. Durations: ISO 8601 strings (`PT5M`); objects (`{ minutes: 5 }`) are still
       * read, but Backstage merges them across config files.
       */
      refresh?: {
        /** Default PT5M. */
        frequency?: string | HumanDuration;
        /** Default PT2M. */
        timeout?: string | HumanDuration;
        /** Default PT5M. */
        initialDelay?: string | HumanDuration;
      };
    };
    permissions?: {
      /** Users, or groups whose members, administer the suite (entity refs). */
      admins?: string[];
    };
    /**
     * The language model the intelligence plane shares (narrator, similar incidents, deploy
     * risk). Nothing on the data plane waits for it. See the aiops-node README.
     */
    llm?: {
      /** `none` (default: every caller takes its deterministic path) or `mistral`. */
      provider?: 'none' | 'mistral';
      mistral?: {
        /**
         * The Mistral API key (or the self-hosted endpoint's bearer token). Required when
         * `provider` is `mistral`.
         * @visibility secret
         */
        apiKey?: string;
        /**
         * A self-hosted Mistral-compatible endpoint (e.g. `https://llm.internal.example.com`),
         * so incident data stays in-house. Default: the Mistral API (https://api.mistral.ai).
         */
        serverUrl?: string;
        /** Default `mistral-small-latest`. */
        chatModel?: string;
        /** Default `mistral-embed`. */
        embeddingModel?: string;
        /** Prices for the per-call cost; default 0 (cost not tracked). */
        prices?: {
          /** Per million input (prompt) tokens. */
          inputPerMillionTokens?: number;
          /** Per million output (completion) tokens. */
          outputPerMillionTokens?: number;
          /** Per million embedded tokens; default `inputPerMillionTokens`. */
          embeddingPerMillionTokens?: number;
          /** Shown with the cost; default `USD`. */
          currency?: string;
        };
      };
      /** Per attempt (ISO 8601 durations). */
      timeouts?: {
        /** Default PT20S. */
        chat?: string;
        /** Default PT10S. */
        embedding?: string;
      };
      /** Retries after the first attempt, on 429, 408, 5xx, timeouts and connection errors; 0–10, default 2. */
      maxRetries?: number;
      retry?: {
        /** The first backoff, grown exponentially with jitter; default PT0.5S. */
        initialDelay?: string;
        /** The longest wait; a longer `Retry-After` is not waited for. Default PT30S. */
        maxDelay?: string;
      };
      breaker?: {
        /** Failed attempts in a row that open the breaker; default 5. */
        consecutiveFailures?: number;
        /** How long an open breaker refuses calls before letting one through; default PT1M. */
        halfOpenAfter?: string;
      };
      /** Tokens (input + output) all plugins together may spend in any hour; default 200000. */
      tokenBudgetPerHour?: number;
      cache?: {
        /** Answers kept (least recently used dropped first); 0 turns the cache off; default 500. */
        maxEntries?: number;
        /** How long an answer is reused; default PT1H. */
        ttl?: string;
      };
    };
  };
}
