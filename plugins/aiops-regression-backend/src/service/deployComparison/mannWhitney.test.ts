import { mannWhitneyU } from './mannWhitney';

// Expected p-values from scipy.stats.mannwhitneyu(method='asymptotic', use_continuity=True)
describe('mannWhitneyU', () => {
  it('matches scipy on separated samples', () => {
    const r = mannWhitneyU(
      [10, 12, 11, 13, 12, 11],
      [15, 14, 16, 15, 17, 16, 15],
    );
    expect(r.pValue).toBeCloseTo(0.003105035408903537, 6);
    expect(r.u).toBe(42);
    expect(r.z).toBeGreaterThan(0);
  });

  it('matches scipy with ties across the samples', () => {
    const r = mannWhitneyU([1, 2, 2, 3, 4, 5, 5, 5], [3, 4, 5, 6, 6, 7, 8, 9]);
    expect(r.pValue).toBeCloseTo(0.019563281856830532, 6);
  });

  it('gives p = 1 when every value is the same', () => {
    expect(mannWhitneyU([2, 2, 2], [2, 2]).pValue).toBe(1);
  });
});
