import {
  COMMON_FALLBACK_TERMS,
  MAX_QUERY_POSTINGS,
  MAX_QUERY_TERMS,
  selectQueryTerms,
} from './selectQueryTerms';

describe('selectQueryTerms', () => {
  const counts = new Map<string, number>([
    ['alerts', 9_000],
    ['redis', 4_000],
    ['cart', 2_500],
    ['evictions', 40],
    ['oomkilled', 12],
    ['maxmemory', 12],
  ]);

  it('keeps the rarest terms the index holds, rarest first, ties by term, and leaves out the common ones', () => {
    expect(
      selectQueryTerms(
        [
          'redis',
          'cart',
          'evictions',
          'oomkilled',
          'maxmemory',
          'nowhere',
          'alerts',
          'redis',
        ],
        counts,
        10_000,
      ),
    ).toEqual(['maxmemory', 'oomkilled', 'evictions']);
  });

  it('falls back to the rarest few when only common terms are asked', () => {
    expect(
      selectQueryTerms(['alerts', 'redis', 'cart', 'nowhere'], counts, 10_000),
    ).toEqual(['cart', 'redis', 'alerts'].slice(0, COMMON_FALLBACK_TERMS));
  });

  it('counts every term in a small index', () => {
    expect(selectQueryTerms(['alerts', 'redis'], counts, 150)).toEqual([
      'redis',
      'alerts',
    ]);
  });

  it('is bounded however long the query', () => {
    const many = new Map(
      Array.from({ length: 100 }, (_, i) => [`t${i}`, i + 1] as const),
    );
    const chosen = selectQueryTerms(many.keys(), many, 100_000);
    expect(chosen).toHaveLength(MAX_QUERY_TERMS);
    expect(chosen[0]).toBe('t0');
  });

  it('stops before the terms’ postings pass the budget, and always asks the rarest', () => {
    const big = MAX_QUERY_POSTINGS / 2.5;
    const counts2 = new Map([
      ['a', big],
      ['b', big],
      ['c', big],
      ['d', big],
    ]);
    expect(selectQueryTerms(['d', 'c', 'b', 'a'], counts2, 100 * big)).toEqual([
      'a',
      'b',
    ]);
    const huge = new Map([['x', MAX_QUERY_POSTINGS * 3]]);
    expect(selectQueryTerms(['x'], huge, MAX_QUERY_POSTINGS * 4)).toEqual([
      'x',
    ]);
  });

  it('is empty when the index holds none of the terms', () => {
    expect(selectQueryTerms(['nowhere'], counts, 10_000)).toEqual([]);
  });
});
