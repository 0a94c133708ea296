import type { HumanDuration } from '@backstage/types';

export interface Config {
  aiops?: {
    /**
     * Correlation of alerts into incidents. Durations: ISO 8601 strings (`PT30M`). Objects
     * (`{ minutes: 30 }`) are still read, but Backstage merges them across config files.
     */
    correlation?: {
      /**
       * Labels that make an alert's group key, like Alertmanager's `group_by`; `entity` is the
       * resolved catalog entity. Default `[entity]`.
       */
      groupBy?: string[];
      /** An alert joins an incident of its group that was active this recently. Default 30 minutes. */
      groupWindow?: string | HumanDuration;
      /** Hold a new group this long before its incident opens. Default 0: it opens at once. */
      groupWait?: string | HumanDuration;
      /** A group opens only with at least this many firing alerts. Default 1. */
      minAlerts?: number;
      /** … and once its first alert has fired this long. Default 0. */
      minDuration?: string | HumanDuration;
      topology?: {
        /** Group alerts of entities related in the catalog or in traces. Default true. */
        enabled?: boolean;
        /** Entities at most this many dependency hops apart are related. Default 3. */
        maxHops?: number;
        /** A related alert joins if it starts this soon after the incident's last activity. Default 15 minutes. */
        window?: string | HumanDuration;
        /** Count entities of one System as related. Default false (too coarse for most). */
        sameSystem?: boolean;
      };
      /** A deployment this long before onset is linked to the incident. Default 60 minutes. */
      deployWindow?: string | HumanDuration;
      /** An incident resolves once all its alerts were resolved this long. Default 5 minutes. */
      quietPeriod?: string | HumanDuration;
      flap?: {
        /** Default 30 minutes. */
        window?: string | HumanDuration;
        /** Status changes within the window that make an alert flapping. Default 4. */
        minTransitions?: number;
      };
      inhibition?: {
        /** A firing critical alert suppresses warnings on the same entity. Default true. */
        criticalOverWarning?: boolean;
        /** An outage upstream suppresses symptoms downstream. Default true. */
        upstreamOutage?: boolean;
      };
      /**
       * How the root-cause ranking reads alert names (and the `labels` listed) as an outage
       * (down, crash-looping, unreachable) or a symptom (backlog, saturation, latency). Words
       * are matched whole after splitting names like `KubePodCrashLooping`; two adjacent words
       * run together also match (`notready`). Setting a list replaces the default one.
       */
      unowned?: {
        /**
         * Once this many unowned incidents are open, a new kind of unowned alert joins the one
         * overflow incident of its source instead of opening another. Default 100.
         */
        maxOpenIncidents?: number;
      };
      alertKinds?: {
        outageWords?: string[];
        symptomWords?: string[];
        /** A label stating the kind outright (`outage` or `symptom`). Default `aiops_kind`. */
        kindLabel?: string;
        /** Labels whose values are read too. Default `[reason]`. */
        labels?: string[];
      };
      /** How often time passes for correlation and other replicas' alerts are read. Default 5 seconds. */
      tickInterval?: string | HumanDuration;
      /**
       * How often the working state is saved for a restart. Default 10 seconds. During a storm
       * (over 100 events a second) a due save waits for a quieter tick, at most six intervals.
       */
      checkpointInterval?: string | HumanDuration;
      /**
       * How often, at most, an open incident's root causes, findings, inhibition and title are
       * re-derived while alerts keep joining it (alerts join, incidents open and severities
       * rise at once regardless). Default 2 seconds; 0 re-derives with every batch.
       */
      refreshInterval?: string | HumanDuration;
      /** How far back calls seen in traces count as topology. Default 24 hours. */
      observedCallsWindow?: string | HumanDuration;
    };
    /**
     * Who hears of incident changes, through which channels, and how delivery behaves. Read
     * leniently: a mistake here is reported (log, `GET /notifications/status`) and falls back to
     * Backstage notifications; it never stops the backend. Durations: ISO 8601 strings (`PT10M`).
     */
    routing?: {
      /** Owner of incidents without one, and of owners missing from the catalog, e.g. `group:default/platform-team`. */
      fallbackGroup?: string;
      /** Per-group settings; groups not listed get Backstage notifications plus their annotations' channels. */
      groups?: Array<{
        /** Group ref; a short name means `group:default/<name>`. */
        group: string;
        /** Slack and webhooks only for incidents at least this severe (critical, error, warning, info). Default info. */
        minSeverity?: string;
        /** PagerDuty only for incidents at least this severe. Default critical. */
        pageSeverity?: string;
        /** Overrides the group's `slack.com/bot-notify` annotation. */
        slackChannel?: string;
        /**
         * Overrides the group's `pagerduty.com/integration-key` annotation.
         * @visibility secret
         */
        pagerDutyIntegrationKey?: string;
        /** Names of entries of `webhooks`. */
        webhooks?: string[];
        /** During these hours, Slack and webhook messages below `minSeverity` wait until they end. */
        quietHours?: {
          /** HH:MM */
          start: string;
          /** HH:MM */
          end: string;
          /** IANA time zone. Default UTC. */
          timeZone?: string;
          /** Default critical. */
          minSeverity?: string;
        };
        /** Overrides the group's `aiops/escalation-policy` annotation. */
        escalationPolicy?: string;
      }>;
      escalationPolicies?: Array<{
        name: string;
        steps: Array<{
          /** How long after opening (or reopening) without acknowledgement. */
          after: string | HumanDuration;
          /** Group or user refs, or `parent` (the owner group's parent group). */
          notify: string[];
        }>;
      }>;
      slack?: {
        /**
         * Bot token for chat.postMessage to the channel each route names.
         * @visibility secret
         */
        botToken?: string;
        /**
         * Incoming webhook: every Slack message goes to its channel.
         * @visibility secret
         */
        webhookUrl?: string;
        /** Default https://slack.com/api */
        apiBaseUrl?: string;
      };
      pagerDuty?: {
        /** Default https://events.pagerduty.com/v2/enqueue */
        eventsUrl?: string;
      };
      /**
       * Let Slack, PagerDuty and webhooks send to loopback, private (10/8, 172.16/12,
       * 192.168/16, 100.64/10), link-local (169.254/16, with the cloud metadata service),
       * unique-local IPv6 and other reserved addresses. Checked on the addresses a name resolves
       * to when connecting. Default false: a receiver inside the backend's network is opt-in.
       */
      allowPrivateTargets?: boolean;
      /** Generic webhooks; the body is signed with HMAC-SHA256 in `x-aiops-signature-256`. */
      webhooks?: Array<{
        name: string;
        /** @visibility secret */
        url: string;
        /** @visibility secret */
        secret?: string;
      }>;
      /** Per group, channel and target (Slack and webhooks): then one digest per window. */
      rateLimit?: {
        /** Default 20. */
        maxPerWindow?: number;
        /** Default 10 minutes. */
        window?: string | HumanDuration;
      };
      /**
       * How long a change may keep failing to route (routing it throws: the catalog lookup for
       * its incident fails, say) before it is given up: reported, noted on its incident's
       * timeline and marked routed with no messages, so that its incident's later changes go
       * out. Until then they wait; other incidents' changes do not. Default 1 hour.
       */
      routingRetryLimit?: string | HumanDuration;
      delivery?: {
        /** How often escalation, routing and sending run on each replica. Default 5 seconds. */
        interval?: string | HumanDuration;
        /** Attempts before a message is dead-lettered. Default 8. */
        maxAttempts?: number;
        /** Default 10 seconds. */
        initialBackoff?: string | HumanDuration;
        /** Default 30 minutes. */
        maxBackoff?: string | HumanDuration;
        /** Rows one run claims. Default 50. */
        batchSize?: number;
        /** How long a claim lasts before another replica may take the work over. Default 2 minutes. */
        lease?: string | HumanDuration;
      };
    };
  };
}
