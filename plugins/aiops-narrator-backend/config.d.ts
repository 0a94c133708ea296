import type { HumanDuration } from '@backstage/types';

export interface Config {
  aiops?: {
    /** Incident narratives (the aiops-narrator plugin). Durations: ISO 8601 strings (`PT10S`). */
    narrator?: {
      /** Follow correlation's incident changes and write narratives. Default true. */
      enabled?: boolean;
      /**
       * An incident's first narrative is written at once; after that it is narrated at most once
       * per this long: a change waits this long, and the changes meanwhile are told in the same
       * narration. Default 10 s.
       */
      debounce?: string | HumanDuration;
      /** How often the change feed is read besides the `aiops.incident.changed` events. Default 30 s. */
      catchUpInterval?: string | HumanDuration;
      /** Deployments this long before the onset count as what changed. Default one hour. */
      deployWindow?: string | HumanDuration;
      /** Most tokens the model may answer with. Default 1500. */
      maxTokens?: number;
      redact?: {
        /**
         * More secrets to remove before anything is sent to a model, as regular expression
         * sources; each match is replaced whole. Keep them free of nested repetition.
         */
        patterns?: string[];
      };
    };
  };
}
