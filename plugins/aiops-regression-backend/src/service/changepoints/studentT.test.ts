import { normalSampler, seededRandom } from '../random';
import {
  changeMagnitude,
  mayBeSignificant,
  relativeChange,
  studentT,
} from './studentT';

const f = (xs: number[]) => Float64Array.from(xs);

describe('studentT', () => {
  it('gives the pooled-variance two-sided p-value (scipy ttest_ind: 0.0836086)', () => {
    const r = studentT(f([1, 2, 3, 4, 5]), f([3, 4, 5, 6, 8]));
    expect(r.pValue).toBeCloseTo(0.08360855986003163, 8);
    expect(r.meanBefore).toBe(3);
    expect(r.meanAfter).toBe(5.2);
    expect(r.stdBefore).toBeCloseTo(Math.sqrt(2.5), 12);
  });

  it('treats two constant segments as certainly different or certainly equal', () => {
    expect(studentT(f([2, 2, 2]), f([3, 3, 3])).pValue).toBe(0);
    expect(studentT(f([2, 2, 2]), f([2, 2])).pValue).toBe(1);
  });

  it('gives no evidence for a one-point segment', () => {
    expect(studentT(f([1]), f([100, 101, 102])).pValue).toBe(1);
  });
});

describe('relativeChange and changeMagnitude', () => {
  it('is null rather than 0 when the level before is zero', () => {
    expect(relativeChange(0, 5)).toBeNull();
    expect(relativeChange(4, 5)).toBeCloseTo(0.25, 12);
  });

  it('weighs a halving like a doubling', () => {
    const base = { stdBefore: 0, stdAfter: 0, pValue: 0 };
    expect(changeMagnitude({ ...base, meanBefore: 10, meanAfter: 5 })).toBe(1);
    expect(changeMagnitude({ ...base, meanBefore: 5, meanAfter: 10 })).toBe(1);
  });
});

describe('mayBeSignificant', () => {
  it('never rules out a split the exact test would keep', () => {
    const normal = normalSampler(seededRandom(99));
    let ruledOut = 0;
    const missed: string[] = [];
    for (let trial = 0; trial < 400; trial++) {
      const n1 = 3 + (trial % 20);
      const n2 = 3 + ((trial * 7) % 25);
      const shift = (trial % 10) * 0.4;
      const x = Float64Array.from({ length: n1 }, () => 1000 + normal());
      const y = Float64Array.from(
        { length: n2 },
        () => 1000 + shift + normal(),
      );
      for (const threshold of [0.01, 0.001]) {
        const exact = studentT(x, y).pValue <= threshold;
        const may = mayBeSignificant(x, y, threshold);
        if (exact && !may) missed.push(`trial ${trial} at ${threshold}`);
        if (!may) ruledOut++;
      }
    }
    expect(missed).toEqual([]);
    // and it does rule out most of the near-equal pairs, which is its point
    expect(ruledOut).toBeGreaterThan(200);
  });
});
