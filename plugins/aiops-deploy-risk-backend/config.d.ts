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
    };
  };
}
