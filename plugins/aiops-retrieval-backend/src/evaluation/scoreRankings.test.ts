import { recallByGroup, scoreRankings } from './scoreRankings';

const groupOf = new Map([
  ['a1', 'a'],
  ['a2', 'a'],
  ['a3', 'a'],
  ['b1', 'b'],
  ['b2', 'b'],
]);

describe('scoreRankings', () => {
  it('counts the other members of the query group as relevant, never the query', () => {
    const scores = scoreRankings(
      'm',
      [
        // The query itself in the answer is dropped: a2 is then at rank 1.
        { queryId: 'a1', group: 'a', ranked: ['a1', 'a2', 'b1', 'a3'] },
        { queryId: 'b1', group: 'b', ranked: ['a1', 'a2', 'a3'] },
      ],
      groupOf,
    );
    expect(scores.queries).toBe(2);
    expect(scores.mrr).toBeCloseTo((1 + 0) / 2);
    expect(scores.recallAt5).toBeCloseTo((1 + 0) / 2);
    expect(scores.hitAt5).toBeCloseTo(0.5);
    // a1: relevant at ranks 1 and 3 of an ideal 1, 2.
    const ndcgA1 = (1 + 1 / 2) / (1 + 1 / Math.log2(3));
    expect(scores.ndcgAt10).toBeCloseTo(ndcgA1 / 2);
  });

  it('lists groups worst first', () => {
    expect(
      recallByGroup(
        [
          { queryId: 'a1', group: 'a', ranked: ['a2', 'a3'] },
          { queryId: 'b1', group: 'b', ranked: ['a1'] },
        ],
        groupOf,
      ),
    ).toEqual([
      { group: 'b', recallAt5: 0 },
      { group: 'a', recallAt5: 1 },
    ]);
  });
});
