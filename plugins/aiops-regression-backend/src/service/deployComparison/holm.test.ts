import { holmAdjust } from './holm';

describe('holmAdjust', () => {
  it('multiplies by the remaining count, keeps the order, returns input order (by hand)', () => {
    // sorted: 0.005×4 = 0.02, 0.01×3 = 0.03, 0.03×2 = 0.06, 0.04×1 = 0.04 → max so far 0.06
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((p, i) =>
      expect(adjusted[i]).toBeCloseTo(p, 12),
    );
  });

  it('caps at 1 and leaves a single test alone', () => {
    expect(holmAdjust([0.5, 0.6])).toEqual([1, 1]);
    expect(holmAdjust([0.2])).toEqual([0.2]);
    expect(holmAdjust([])).toEqual([]);
  });
});
