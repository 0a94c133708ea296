import { hitAtK, ndcgAtK, recallAtK, reciprocalRank } from './metrics';

const relevant = new Set(['a', 'b', 'c']);

describe('ranking metrics', () => {
  it('recall@k counts the relevant in the first k over min(k, relevant)', () => {
    expect(recallAtK(['a', 'x', 'b', 'y', 'c'], relevant, 5)).toBe(1);
    expect(recallAtK(['a', 'x', 'y', 'b'], relevant, 3)).toBeCloseTo(1 / 3);
    // A group larger than k: a first page all relevant is perfect.
    expect(recallAtK(['a', 'b'], relevant, 2)).toBe(1);
    expect(recallAtK(['x'], new Set(), 5)).toBe(0);
  });

  it('hit@k is whether any relevant is in the first k', () => {
    expect(hitAtK(['x', 'y', 'c'], relevant, 3)).toBe(1);
    expect(hitAtK(['x', 'y', 'c'], relevant, 2)).toBe(0);
  });

  it('reciprocal rank is 1 / the first relevant rank', () => {
    expect(reciprocalRank(['a'], relevant)).toBe(1);
    expect(reciprocalRank(['x', 'y', 'b'], relevant)).toBeCloseTo(1 / 3);
    expect(reciprocalRank(['x'], relevant)).toBe(0);
  });

  it('nDCG@k discounts later ranks and is 1 for a perfect ranking', () => {
    expect(ndcgAtK(['a', 'b', 'c', 'x'], relevant, 10)).toBe(1);
    expect(ndcgAtK(['x', 'y', 'z'], relevant, 10)).toBe(0);
    // One relevant at rank 2 of one possible: (1 / log2 3) / 1.
    expect(ndcgAtK(['x', 'a'], new Set(['a']), 10)).toBeCloseTo(
      1 / Math.log2(3),
    );
    // Relevant beyond k do not count.
    expect(ndcgAtK(['x', 'a'], new Set(['a']), 1)).toBe(0);
    const early = ndcgAtK(['a', 'x', 'b'], relevant, 10);
    const late = ndcgAtK(['x', 'a', 'b'], relevant, 10);
    expect(early).toBeGreaterThan(late);
  });
});
