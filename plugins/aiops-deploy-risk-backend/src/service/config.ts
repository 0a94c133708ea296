import type { Config } from '@backstage/config';
import { FACTOR_IDS } from './factors';

export interface DeployRiskConfig {
  /** Log-odds of failure when every factor is 0 (a typical change by a service with no record). */
  intercept: number;
  /** Log-odds per unit of each factor's value, keyed by factor id. */
  weights: Record<string, number>;
  /** Score (0–100) from which a deploy is medium and high risk. */
  thresholds: { medium: number; high: number };
}

/**
 * Hand-set defaults, in log-odds per unit of the factor's value: a failure rate of about 10%
 * for a typical change (intercept -2.2), each factor's weight chosen so that its plausible
 * range moves the odds by a factor of two to five. docs/deploy-risk.md shows how they compare
 * with weights fitted on a replayed history.
 */
export const DEFAULT_DEPLOY_RISK_CONFIG: DeployRiskConfig = {
  intercept: -2.2,
  weights: {
    'open-incidents': 0.8,
    'change-failure-rate': 1,
    'time-since-last-failure': 0.5,
    'blast-radius': 0.15,
    'active-regressions': 0.5,
    'change-size': 0.5,
    'risky-paths': 0.5,
    timing: 0.4,
    'deploy-frequency': 0.2,
  },
  thresholds: { medium: 15, high: 30 },
};

/** Reads `aiops.deployRisk`, filling in the defaults; throws naming the key that is wrong. */
export function readDeployRiskConfig(config?: Config): DeployRiskConfig {
  const d = DEFAULT_DEPLOY_RISK_CONFIG;
  const section = config?.getOptionalConfig('aiops.deployRisk');
  if (!section) return cloneConfig(d);
  const weights = { ...d.weights };
  const configured = section.getOptionalConfig('weights');
  for (const key of configured?.keys() ?? []) {
    if (!FACTOR_IDS.includes(key)) {
      throw new Error(
        `aiops.deployRisk.weights.${key} is not a factor; known factors are ${FACTOR_IDS.join(
          ', ',
        )}`,
      );
    }
    weights[key] = finite(configured!.getNumber(key), `weights.${key}`);
  }
  const thresholds = {
    medium: finite(
      section.getOptionalNumber('thresholds.medium') ?? d.thresholds.medium,
      'thresholds.medium',
    ),
    high: finite(
      section.getOptionalNumber('thresholds.high') ?? d.thresholds.high,
      'thresholds.high',
    ),
  };
  if (
    thresholds.medium < 0 ||
    thresholds.high > 100 ||
    thresholds.medium >= thresholds.high
  ) {
    throw new Error(
      'aiops.deployRisk.thresholds must satisfy 0 <= medium < high <= 100',
    );
  }
  return {
    intercept: finite(
      section.getOptionalNumber('intercept') ?? d.intercept,
      'intercept',
    ),
    weights,
    thresholds,
  };
}

function finite(value: number, key: string): number {
  if (!Number.isFinite(value)) {
    throw new Error(`aiops.deployRisk.${key} must be a finite number`);
  }
  return value;
}

function cloneConfig(c: DeployRiskConfig): DeployRiskConfig {
  return {
    intercept: c.intercept,
    weights: { ...c.weights },
    thresholds: { ...c.thresholds },
  };
}
