import { fuse } from './fuse';
import { DEFAULT_FUSION, type FusionOptions } from './types';

const equal = { lexical: 1, vector: 1, structural: 1 };
const minmax: FusionOptions = { ...DEFAULT_FUSION, weights: equal };
const rrf: FusionOptions = { ...minmax, method: 'rrf' };

const candidates = [
  { item: 'a', signals: { lexical: 12, vector: 0.2, structural: 0 } },
  { item: 'b', signals: { lexical: 2, vector: 0.9, structural: 0.6 } },
  { item: 'c', signals: { vector: 0.5, structural: 0.3 } },
];

describe('fuse', () => {
  it('min-max: rescales each signal over the candidates and takes the weighted mean', () => {
    const fused = fuse(candidates, minmax);
    expect(fused.map(f => f.item)).toEqual(['b', 'a', 'c']);
    // b: lexical 0, vector 1, structural 1; a: lexical 1, the rest 0; c: no lexical,
    // vector 3/7, structural 1/2.
    expect(fused[0].score).toBeCloseTo(2 / 3, 10);
    expect(fused[1].score).toBeCloseTo(1 / 3, 10);
    expect(fused[2].score).toBeCloseTo((3 / 7 + 0.5) / 3, 10);
  });

  it('RRF: ranks per signal and sums weight / (k + rank), scaled so 1 is first everywhere', () => {
    const fused = fuse(candidates, rrf);
    expect(fused.map(f => f.item)).toEqual(['b', 'a', 'c']);
    const k = 60;
    const best = 3 / (k + 1);
    expect(fused[0].score).toBeCloseTo((1 / 62 + 1 / 61 + 1 / 61) / best, 10);
    // a is first lexically and last by vector; it has no structural score above 0.
    expect(fused[1].score).toBeCloseTo((1 / 61 + 1 / 63) / best, 10);
  });

  it('leaves out a signal no candidate has, so lexical + structural still reach 1', () => {
    const fused = fuse(
      [
        { item: 'x', signals: { lexical: 3, structural: 0.5 } },
        { item: 'y', signals: { lexical: 1, structural: 0.1 } },
      ],
      minmax,
    );
    expect(fused[0]).toMatchObject({ item: 'x', score: 1 });
    expect(fused[1].score).toBe(0);
  });

  it('follows the weights', () => {
    const structuralOnly = {
      ...minmax,
      weights: { lexical: 0, vector: 0, structural: 1 },
    };
    expect(fuse(candidates, structuralOnly).map(f => f.item)).toEqual([
      'b',
      'c',
      'a',
    ]);
    const lexicalOnly = {
      ...minmax,
      weights: { lexical: 1, vector: 0, structural: 0 },
    };
    expect(fuse(candidates, lexicalOnly)[0].item).toBe('a');
  });

  it('keeps the given order among ties', () => {
    const tied = ['p', 'q', 'r'].map(item => ({
      item,
      signals: { structural: 0.5 },
    }));
    expect(fuse(tied, minmax).map(f => f.item)).toEqual(['p', 'q', 'r']);
    expect(fuse(tied, rrf).map(f => f.item)).toEqual(['p', 'q', 'r']);
  });
});
