import { cosine } from './cosine';

const v = (...values: number[]) => Float32Array.from(values);

describe('cosine', () => {
  it('is 1 for the same direction, 0 for orthogonal, -1 for opposite', () => {
    expect(cosine(v(1, 2, 3), v(2, 4, 6))).toBeCloseTo(1, 6);
    expect(cosine(v(1, 0), v(0, 3))).toBe(0);
    expect(cosine(v(1, 1), v(-1, -1))).toBeCloseTo(-1, 6);
  });

  it('is 0 for a zero vector or vectors of different lengths', () => {
    expect(cosine(v(0, 0), v(1, 1))).toBe(0);
    expect(cosine(v(1, 1), v(1, 1, 1))).toBe(0);
  });
});
