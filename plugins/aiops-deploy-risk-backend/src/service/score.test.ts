import { deploysDaysAgo, riskInput } from './__testUtils__/input';
import { DEFAULT_DEPLOY_RISK_CONFIG, type DeployRiskConfig } from './config';
import { assessRisk, levelOf, scoreMeasures, sigmoid } from './score';
import type { FactorMeasure } from './types';

const config: DeployRiskConfig = {
  intercept: -2,
  weights: { a: 1, b: 0.5, c: 2 },
  thresholds: { medium: 15, high: 30 },
};
const measure = (id: string, value: number, block?: string): FactorMeasure => ({
  id,
  version: `${id}@1`,
  label: id.toUpperCase(),
  value,
  explanation: `${id} is ${value}.`,
  ...(block ? { block } : {}),
});

describe('scoreMeasures', () => {
  it('is the logistic of the intercept plus the weighted values', () => {
    const s = scoreMeasures(
      [measure('a', 1), measure('b', 2), measure('c', 0)],
      config,
    );
    expect(s.probability).toBeCloseTo(sigmoid(-2 + 1 + 1));
    expect(s.score).toBe(50);
    expect(s.level).toBe('high');
  });

  it('orders factors by contribution, then id, and keeps each weight and explanation', () => {
    const s = scoreMeasures(
      [measure('c', -0.5), measure('b', 2), measure('a', 1)],
      config,
    );
    expect(s.factors.map(f => [f.id, f.contribution])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', -1],
    ]);
    expect(s.factors[2]).toMatchObject({
      weight: 2,
      value: -0.5,
      explanation: 'c is -0.5.',
    });
    expect(s.ruleVersions).toEqual(['a@1', 'b@1', 'c@1']);
  });

  it('gives an unconfigured factor weight 0', () => {
    const s = scoreMeasures([measure('z', 5)], config);
    expect(s.factors[0]).toMatchObject({ weight: 0, contribution: 0 });
    expect(s.probability).toBeCloseTo(sigmoid(-2));
  });

  it('is blocked by policy whatever the score, with every reason', () => {
    const s = scoreMeasures(
      [
        measure('a', -5, 'a freeze window is in force (x)'),
        measure('b', 0, 'a critical incident'),
      ],
      config,
    );
    expect(s.score).toBeLessThan(1);
    expect(s.level).toBe('blocked');
    expect(s.recommendation).toBe(
      'Do not deploy: a critical incident; a freeze window is in force (x).',
    );
  });

  it('names the two largest drivers in the recommendation', () => {
    const s = scoreMeasures(
      [measure('a', 0.5), measure('c', 0.4), measure('b', 0.1)],
      config,
    );
    expect(s.level).toBe('high');
    expect(s.recommendation).toContain('mostly from c and a');
  });
});

describe('levelOf', () => {
  it('uses the thresholds inclusively', () => {
    const t = { medium: 15, high: 30 };
    expect(levelOf(14.9, t)).toBe('low');
    expect(levelOf(15, t)).toBe('medium');
    expect(levelOf(30, t)).toBe('high');
  });
});

describe('assessRisk', () => {
  it('is low for a Wednesday deploy of a service with a clean weekly record, with every factor', () => {
    const now = '2026-12-02T10:00:00.000Z';
    const s = assessRisk(
      riskInput({
        now,
        deployments: deploysDaysAgo(
          now,
          Array.from({ length: 12 }, (_, i) => ['succeeded', 2 + i * 3]),
        ),
      }),
      DEFAULT_DEPLOY_RISK_CONFIG,
    );
    expect(s.level).toBe('low');
    expect(s.factors).toHaveLength(9);
    expect(s.ruleVersions).toContain('change-failure-rate@1');
    expect(s.recommendation).toBe(
      'Deploy as usual: no factor raises the risk much.',
    );
  });

  it('puts a new service at a rarely-deployed baseline, medium with the defaults', () => {
    const s = assessRisk(riskInput(), DEFAULT_DEPLOY_RISK_CONFIG);
    expect(s.factors[0]).toMatchObject({ id: 'deploy-frequency', value: 3 });
    expect(s.level).toBe('medium');
  });

  it('is deterministic', () => {
    const input = riskInput({
      request: { plannedAt: '2026-12-04T16:00:00Z' },
      dependents: [
        { entityRef: 'component:default/web', depth: 1, tier: 'tier-1' },
      ],
    });
    expect(assessRisk(input, DEFAULT_DEPLOY_RISK_CONFIG)).toEqual(
      assessRisk(input, DEFAULT_DEPLOY_RISK_CONFIG),
    );
  });
});
