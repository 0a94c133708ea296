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
  };
}
