import { ResponseCache, inputHash } from './responseCache';

describe('ResponseCache', () => {
  it('forgets an answer after its time to live', () => {
    let now = 0;
    const cache = new ResponseCache<string>(10, 1000, () => now);
    cache.set('a', 'answer');
    now = 999;
    expect(cache.get('a')).toBe('answer');
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops the least recently used entry beyond its bound', () => {
    const cache = new ResponseCache<number>(2, 60_000);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([
      1,
      undefined,
      3,
    ]);
    expect(cache.size).toBe(2);
  });

  it('keeps nothing with maxEntries 0', () => {
    const cache = new ResponseCache<number>(0, 60_000);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keys by a hash of the input', () => {
    expect(inputHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
    expect(inputHash({ a: 1 })).toBe(inputHash({ a: 1 }));
    expect(inputHash({ a: 1 })).not.toBe(inputHash({ a: 2 }));
  });
});
