import { deploysDaysAgo, riskInput } from '../__testUtils__/input';
import { changeFailureRate, PRIOR } from './changeFailureRate';

const NOW = '2026-12-02T10:00:00.000Z';
const logit = (p: number) => Math.log(p / (1 - p));

describe('change-failure-rate@1', () => {
  it('uses the prior for a new service', () => {
    const m = changeFailureRate.measure(riskInput());
    expect(m.value).toBe(0);
    expect(m.explanation).toContain('prior of 15%');
  });

  it('moves from the prior towards the observed rate as outcomes accumulate', () => {
    // 2 failures in 6: posterior mean (2 + 0.6) / (6 + 4) = 26%.
    const m = changeFailureRate.measure(
      riskInput({
        deployments: deploysDaysAgo(NOW, [
          ['failed', 1],
          ['failed', 2],
          ['succeeded', 3],
          ['succeeded', 4],
          ['succeeded', 5],
          ['succeeded', 6],
        ]),
      }),
    );
    expect(m.value).toBeCloseTo(logit(0.26) - logit(PRIOR.mean), 3);
    expect(m.explanation).toBe(
      '2 of 6 deploys in the last 90 days failed; with the prior that estimates a change-failure rate of 26%.',
    );
  });

  it('is negative for a service that never fails, and ignores pending and future deploys', () => {
    const deployments = [
      ...deploysDaysAgo(NOW, Array(20).fill(['succeeded', 3])),
      ...deploysDaysAgo(NOW, [
        ['pending', 0.1],
        ['failed', -1],
      ]),
    ];
    const m = changeFailureRate.measure(riskInput({ deployments }));
    expect(m.value).toBeCloseTo(logit(0.6 / 24) - logit(0.15), 3);
    expect(m.explanation).toMatch(/^0 of 20 deploys/);
  });
});
