import { deploysDaysAgo, riskInput } from '../__testUtils__/input';
import { timeSinceLastFailure } from './lastFailure';

const NOW = '2026-12-02T10:00:00.000Z';

describe('time-since-last-failure@1', () => {
  it('is 0 without a failure', () => {
    const m = timeSinceLastFailure.measure(
      riskInput({ deployments: deploysDaysAgo(NOW, [['succeeded', 1]]) }),
    );
    expect(m.value).toBe(0);
    expect(m.explanation).toBe('No deploy failed in the last 90 days.');
  });

  it('halves every seven days from the most recent failure', () => {
    const m = timeSinceLastFailure.measure(
      riskInput({
        deployments: deploysDaysAgo(NOW, [
          ['failed', 30],
          ['failed', 7],
          ['succeeded', 1],
        ]),
      }),
    );
    expect(m.value).toBe(0.5);
    expect(m.explanation).toBe('The last failed deploy was 7 days ago.');
  });

  it('does not see a failure recorded after the assessment', () => {
    const m = timeSinceLastFailure.measure(
      riskInput({ deployments: deploysDaysAgo(NOW, [['failed', -0.5]]) }),
    );
    expect(m.value).toBe(0);
  });
});
