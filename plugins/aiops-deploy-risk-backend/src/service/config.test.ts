import { ConfigReader } from '@backstage/config';
import { DEFAULT_DEPLOY_RISK_CONFIG, readDeployRiskConfig } from './config';
import { FACTOR_IDS } from './factors';

describe('readDeployRiskConfig', () => {
  it('has a default weight for every factor', () => {
    expect(Object.keys(DEFAULT_DEPLOY_RISK_CONFIG.weights).sort()).toEqual(
      [...FACTOR_IDS].sort(),
    );
    expect(readDeployRiskConfig(new ConfigReader({}))).toEqual(
      DEFAULT_DEPLOY_RISK_CONFIG,
    );
  });

  it('overrides the weights, intercept and thresholds it is given', () => {
    const c = readDeployRiskConfig(
      new ConfigReader({
        aiops: {
          deployRisk: {
            intercept: -3,
            weights: { timing: 0 },
            thresholds: { high: 50 },
          },
        },
      }),
    );
    expect(c.intercept).toBe(-3);
    expect(c.weights.timing).toBe(0);
    expect(c.weights['blast-radius']).toBe(0.15);
    expect(c.thresholds).toEqual({ medium: 15, high: 50 });
  });

  it('names an unknown factor and inconsistent thresholds', () => {
    expect(() =>
      readDeployRiskConfig(
        new ConfigReader({ aiops: { deployRisk: { weights: { luck: 1 } } } }),
      ),
    ).toThrow(/aiops.deployRisk.weights.luck is not a factor/);
    expect(() =>
      readDeployRiskConfig(
        new ConfigReader({
          aiops: { deployRisk: { thresholds: { medium: 40, high: 30 } } },
        }),
      ),
    ).toThrow(/medium < high/);
  });
});
