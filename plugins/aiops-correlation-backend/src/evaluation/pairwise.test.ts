import { addPairCounts, pairCounts, pairwiseF1 } from './pairwise';

describe('pairwise F1', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('is 1 when the groupings agree, whatever the group names', () => {
    const produced = new Map([
      ['a', 'x'],
      ['b', 'x'],
      ['c', 'y'],
      ['d', 'y'],
    ]);
    const expected = new Map([
      ['a', 'one'],
      ['b', 'one'],
      ['c', 'two'],
      ['d', 'two'],
    ]);
    const counts = pairCounts(ids, produced, expected);
    expect(counts).toEqual({
      truePositives: 2,
      falsePositives: 0,
      falseNegatives: 0,
    });
    expect(pairwiseF1(counts)).toBe(1);
  });

  it('counts a merged pair of groups as false positives and a split as false negatives', () => {
    const expected = new Map([
      ['a', 'one'],
      ['b', 'one'],
      ['c', 'two'],
      ['d', 'two'],
    ]);
    const merged = pairCounts(ids, new Map(ids.map(id => [id, 'x'])), expected);
    expect(merged).toEqual({
      truePositives: 2,
      falsePositives: 4,
      falseNegatives: 0,
    });
    expect(pairwiseF1(merged)).toBeCloseTo(0.5);
    // c was not grouped at all: alone, so the pair c–d is missed.
    const split = pairCounts(
      ids,
      new Map([
        ['a', 'x'],
        ['b', 'x'],
        ['d', 'y'],
      ]),
      expected,
    );
    expect(split).toEqual({
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 1,
    });
  });

  it('is 1 when nothing is grouped on either side, and adds up across scenarios', () => {
    expect(pairwiseF1(pairCounts(ids, new Map(), new Map()))).toBe(1);
    const one = { truePositives: 1, falsePositives: 1, falseNegatives: 0 };
    expect(addPairCounts([one, one])).toEqual({
      truePositives: 2,
      falsePositives: 2,
      falseNegatives: 0,
    });
  });
});
