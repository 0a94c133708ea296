import type { HumanDuration } from '@backstage/types';

export interface Config {
  aiops?: {
    /** Correlation of alerts into incidents. Durations: ISO 8601 (`PT30M`) or `{ minutes: 30 }`. */
    correlation?: {
      /**
       * Labels that make an alert's group key, like Alertmanager's `group_by`; `entity` is the
       * resolved catalog entity. Default `[entity]`.
       */
      groupBy?: string[];
      /** An alert joins an incident of its group that was active this recently. Default 30 minutes. */
      groupWindow?: HumanDuration | string;
      /** Hold a new group this long before its incident opens. Default 0: it opens at once. */
      groupWait?: HumanDuration | string;
      /** A group opens only with at least this many firing alerts. Default 1. */
      minAlerts?: number;
      /** … and once its first alert has fired this long. Default 0. */
      minDuration?: HumanDuration | string;
      topology?: {
        /** Group alerts of entities related in the catalog or in traces. Default true. */
        enabled?: boolean;
        /** Entities at most this many dependency hops apart are related. Default 3. */
        maxHops?: number;
        /** A related alert joins if it starts this soon after the incident's last activity. Default 15 minutes. */
        window?: HumanDuration | string;
        /** Count entities of one System as related. Default false (too coarse for most). */
        sameSystem?: boolean;
      };
      /** A deployment this long before onset is linked to the incident. Default 60 minutes. */
      deployWindow?: HumanDuration | string;
      /** An incident resolves once all its alerts were resolved this long. Default 5 minutes. */
      quietPeriod?: HumanDuration | string;
      flap?: {
        /** Default 30 minutes. */
        window?: HumanDuration | string;
        /** Status changes within the window that make an alert flapping. Default 4. */
        minTransitions?: number;
      };
      inhibition?: {
        /** A firing critical alert suppresses warnings on the same entity. Default true. */
        criticalOverWarning?: boolean;
        /** An outage upstream suppresses symptoms downstream. Default true. */
        upstreamOutage?: boolean;
      };
      /** How often time passes for correlation and other replicas' alerts are read. Default 5 seconds. */
      tickInterval?: HumanDuration | string;
      /** How often the working state is saved for a restart. Default 10 seconds. */
      checkpointInterval?: HumanDuration | string;
      /** How far back calls seen in traces count as topology. Default 24 hours. */
      observedCallsWindow?: HumanDuration | string;
    };
  };
}
