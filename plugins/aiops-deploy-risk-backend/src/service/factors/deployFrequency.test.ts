import { deploysDaysAgo, riskInput } from '../__testUtils__/input';
import { deployFrequency } from './deployFrequency';

const NOW = '2026-12-02T10:00:00.000Z';

describe('deploy-frequency@1', () => {
  it('is 3 for a service not deployed in 30 days', () => {
    const m = deployFrequency.measure(
      riskInput({ deployments: deploysDaysAgo(NOW, [['succeeded', 45]]) }),
    );
    expect(m.value).toBe(3);
    expect(m.explanation).toBe(
      '0 deploys in the last 30 days, fewer than a practised cadence.',
    );
  });

  it('is 0 from seven deploys in 30 days on', () => {
    const m = deployFrequency.measure(
      riskInput({
        deployments: deploysDaysAgo(NOW, Array(7).fill(['succeeded', 2])),
      }),
    );
    expect(m.value).toBe(0);
    expect(m.explanation).toBe(
      '7 deploys in the last 30 days, a practised cadence.',
    );
  });

  it('falls off logarithmically in between', () => {
    const m = deployFrequency.measure(
      riskInput({ deployments: deploysDaysAgo(NOW, [['failed', 1]]) }),
    );
    expect(m.value).toBe(2);
  });
});
