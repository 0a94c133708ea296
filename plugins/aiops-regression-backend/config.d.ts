import type { HumanDuration } from '@backstage/types';

export interface Config {
  aiops?: {
    /**
     * The regression detector (the aiops-regression plugin). Durations: ISO 8601 strings
     * (`PT5M`) or Backstage's duration objects.
     */
    regression?: {
      /** Run the scheduled detection. Default true; the API answers either way. */
      enabled?: boolean;
      /** How often every Component is scanned (one runner across replicas). Default PT5M. */
      interval?: string | HumanDuration;
      /** How long a run may take before the scheduler abandons it. Default PT4M. */
      timeout?: string | HumanDuration;
      /** First run after start. Default PT1M. */
      initialDelay?: string | HumanDuration;
      /** The rolling window the change-point search reads, ending now. Default PT24H. */
      window?: string | HumanDuration;
      /** Step of the points read (whole minutes). Default PT1M. */
      step?: string | HumanDuration;
      /**
       * Built-in metric providers, in the order they are asked: `embedded` (ingest's per-minute
       * rollups, the default) and `prometheus` (needs `prometheus.baseUrl`). Providers added by
       * modules are asked first.
       */
      providers?: Array<'embedded' | 'prometheus'>;
      /**
       * The metric set of every entity unless its `aiops/regression-metrics` annotation names
       * another (comma-separated). Default: latency_p95_ms, latency_p99_ms, error_rate,
       * throughput_rps, cpu_utilization, memory_bytes.
       */
      metrics?: string[];
      /** Per metric: the smallest relative change that is a regression (default 0.1). */
      minRelativeChange?: { [metric: string]: number };
      /** Two changes of one metric this close are the same change (dedup). Default PT30M. */
      dedupTolerance?: string | HumanDuration;
      /** The change-point search (`e-divisive-t@1`). */
      changePoints?: {
        /** Default 0.001. */
        maxPValue?: number;
        /** Default 50. */
        windowLength?: number;
        /** Default 5. */
        minSegment?: number;
      };
      /** The per-deploy comparison (`welch-mann-whitney-holm@1`). */
      deploy?: {
        /** The window before the deploy. Default PT30M. */
        before?: string | HumanDuration;
        /** The window after it. Default PT30M. */
        after?: string | HumanDuration;
        /** Family-wise error rate across the deploy's metrics. Default 0.05. */
        alpha?: number;
      };
      /** Drift against the same hour of previous days (`seasonal-drift-welch@1`). */
      drift?: {
        /** Default true. */
        enabled?: boolean;
        /** The recent window compared. Default PT1H. */
        recent?: string | HumanDuration;
        /** Previous days compared with. Default 7. */
        seasons?: number;
        /** Step of the points read for drift (whole minutes). Default PT5M. */
        step?: string | HumanDuration;
      };
      /** The Prometheus provider. */
      prometheus?: {
        /** E.g. http://prometheus:9090. */
        baseUrl?: string;
        /** Per query. Default PT30S. */
        timeout?: string | HumanDuration;
        /**
         * The annotation holding the entity's service label value; when absent the suite's
         * service-name annotations are tried, then the entity's name. Default
         * `prometheus.io/service-name`.
         */
        serviceAnnotation?: string;
        /**
         * PromQL per metric, replacing the defaults; `$service` is the entity's service name
         * (quoted for a PromQL string), `$step` the step as a duration (`60s`). A query must
         * return one series.
         */
        queries?: { [metric: string]: string };
      };
    };
  };
}
