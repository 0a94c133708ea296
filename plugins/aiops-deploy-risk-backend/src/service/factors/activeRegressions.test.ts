import { riskInput } from '../__testUtils__/input';
import { activeRegressions } from './activeRegressions';

describe('active-regressions@1', () => {
  it('is 0 without regressions', () => {
    expect(activeRegressions.measure(riskInput()).value).toBe(0);
  });

  it('counts each regression by its size and saturates', () => {
    const one = activeRegressions.measure(
      riskInput({
        regressions: [{ id: 'r1', metric: 'latency_p95', relativeChange: 0.4 }],
      }),
    );
    expect(one.value).toBeCloseTo(0.7);
    expect(one.explanation).toBe('1 regression active on latency_p95.');
    const many = activeRegressions.measure(
      riskInput({
        regressions: Array.from({ length: 10 }, (_, i) => ({
          id: `r${i}`,
          metric: `m${i % 5}`,
          relativeChange: -3,
        })),
      }),
    );
    expect(many.value).toBe(3);
    expect(many.explanation).toBe(
      '10 regressions active on m0, m1, m2 and more.',
    );
  });
});
