import type { HumanDuration } from '@backstage/types';

interface DeployRiskPolicy {
  /** IANA time zone, e.g. `Europe/Paris`. Default UTC. */
  timezone?: string;
  /** Local working hours [start, end). Defaults 9 and 18. */
  workingHours?: { start?: number; end?: number };
  /** From this local hour on Friday a deploy is a Friday-afternoon deploy. Default 14. */
  fridayCutoffHour?: number;
  freezes?: Array<{ name?: string; startsAt: string; endsAt: string }>;
}

export interface Config {
  aiops?: {
    /**
     * Deployment risk (the aiops-deploy-risk plugin). The score is a logistic model:
     * 100 × σ(intercept + Σ weight × factor value). See docs/deploy-risk.md.
     */
    deployRisk?: {
      /** Log-odds of failure with every factor at 0. Default -2.2 (about 10%). */
      intercept?: number;
      /**
       * Log-odds per unit of each factor's value, by factor id. Defaults: open-incidents 0.8,
       * change-failure-rate 1, time-since-last-failure 0.5, blast-radius 0.15,
       * active-regressions 0.5, change-size 0.5, risky-paths 0.5, timing 0.4,
       * deploy-frequency 0.2. An unknown id is an error; 0 switches a factor off.
       */
      weights?: {
        'open-incidents'?: number;
        'change-failure-rate'?: number;
        'time-since-last-failure'?: number;
        'blast-radius'?: number;
        'active-regressions'?: number;
        'change-size'?: number;
        'risky-paths'?: number;
        timing?: number;
        'deploy-frequency'?: number;
      };
      /** Score (0–100) from which a deploy is medium and high risk. Defaults 15 and 30. */
      thresholds?: {
        medium?: number;
        high?: number;
      };
      /**
       * Deploy policies per owner group: the time zone working hours are in, the Friday
       * cut-off, and freezes as explicit ISO 8601 intervals (a deploy inside one is blocked).
       */
      policies?: Array<
        DeployRiskPolicy & {
          /** The owner group, e.g. `checkout-team` or `group:default/checkout-team`. */
          owner: string;
        }
      >;
      /** The policy of entities whose owner has none. Default: UTC, 9–18, Friday from 14. */
      defaultPolicy?: DeployRiskPolicy;
      /**
       * How long after a deploy an incident on the entity or a direct dependent, or a
       * regression on the entity, makes its outcome `failed` (the entity's next deploy closes
       * it sooner). Default PT24H.
       */
      outcomeWindow?: HumanDuration | string;
      /** How often deployments are linked and outcomes recorded. Default PT5M. */
      outcomeInterval?: HumanDuration | string;
    };
  };
}
