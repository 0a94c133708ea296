import type { HumanDuration } from '@backstage/types';

export interface Config {
  aiops?: {
    ingest?: {
      /** Largest accepted body in bytes, after decompression. Default 1048576 (1 MiB). */
      maxBodyBytes?: number;
      /** Most alerts or deployments one request may carry. Default 1000. */
      maxItemsPerRequest?: number;
      /**
       * Per-receiver secrets for `X-Aiops-Signature-256: sha256=<hex HMAC-SHA256 of the body>`,
       * for senders that cannot send a bearer token.
       */
      hmacSecrets?: {
        /** @visibility secret */
        alertmanager?: string;
        /** @visibility secret */
        grafana?: string;
        /** @visibility secret */
        generic?: string;
        /** @visibility secret */
        otlp?: string;
        /** @visibility secret */
        deployments?: string;
        /** @visibility secret */
        cdevents?: string;
        /** @visibility secret */
        argocd?: string;
        /** @visibility secret */
        pagerduty?: string;
      };
      signatures?: {
        /**
         * How far a signed `X-Aiops-Timestamp` may be from the server's clock before the
         * delivery is refused as replayed or delayed (ISO 8601, default `PT5M`). Accepted signed
         * deliveries are remembered for twice this, per backend replica.
         */
        tolerance?: string | HumanDuration;
      };
      pagerduty?: {
        /**
         * Integration keys (`routing_key`) that a PagerDuty change event may authenticate with
         * instead of a token or signature, for PagerDuty senders that cannot add a header.
         * @deepVisibility secret
         */
        routingKeys?: string[];
      };
      github?: {
        /**
         * Secret of the GitHub webhook (`X-Hub-Signature-256`). Without it, GitHub deliveries
         * are refused.
         * @visibility secret
         */
        webhookSecret?: string;
      };
      /** Durations: ISO 8601 strings (`P30D`); objects are still read, but merge across files. */
      retention?: {
        /** How long resolved alerts are kept. Default 30 days. */
        resolvedAlerts?: string | HumanDuration;
        /** How long metric rollups, exemplars and observed edges are kept. Default 14 days. */
        telemetry?: string | HumanDuration;
        /** How long deployments are kept. Default 365 days. */
        deployments?: string | HumanDuration;
      };
    };
  };
}
