import { brierScore, precisionRecall, rocAuc } from './metrics';

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
  });

  it('matches a hand count of ordered pairs', () => {
    // Positives 0.8, 0.4; negatives 0.7, 0.3, 0.1. Pairs won: 0.8 beats 3, 0.4 beats 2 → 5/6.
    expect(
      rocAuc([0.8, 0.7, 0.4, 0.3, 0.1], [true, false, true, false, false]),
    ).toBeCloseTo(5 / 6, 10);
  });

  it('counts ties as half a pair', () => {
    // One positive at 0.5 tied with one negative at 0.5, beats the one at 0.2: (0.5 + 1) / 2.
    expect(rocAuc([0.5, 0.5, 0.2], [true, false, false])).toBe(0.75);
    expect(rocAuc([0.3, 0.3, 0.3, 0.3], [true, false, true, false])).toBe(0.5);
  });

  it('is NaN when a class is missing', () => {
    expect(rocAuc([0.1, 0.2], [true, true])).toBeNaN();
  });
});

describe('brierScore', () => {
  it('is the mean squared error against 0/1 outcomes', () => {
    // (0.9-1)² + (0.2-0)² + (0.6-0)² = 0.01 + 0.04 + 0.36 = 0.41, over 3.
    expect(brierScore([0.9, 0.2, 0.6], [true, false, false])).toBeCloseTo(
      0.41 / 3,
      12,
    );
    expect(brierScore([1, 0], [true, false])).toBe(0);
  });
});

describe('precisionRecall', () => {
  it('counts flagged, true positives, precision and recall', () => {
    // Flagged: 1, 2, 4; failed: 1, 3, 4 → TP 2, precision 2/3, recall 2/3.
    expect(
      precisionRecall(
        [true, true, false, true, false],
        [true, false, true, true, false],
      ),
    ).toEqual({
      precision: 2 / 3,
      recall: 2 / 3,
      flagged: 3,
      truePositives: 2,
    });
  });

  it('has NaN precision when nothing is flagged', () => {
    expect(precisionRecall([false], [true]).precision).toBeNaN();
    expect(precisionRecall([false], [true]).recall).toBe(0);
  });
});
