import { ExpiringLruMap } from './ExpiringLruMap';

describe('ExpiringLruMap', () => {
  let now: number;
  const map = (maxEntries = 3, ttlMs = 1000) =>
    new ExpiringLruMap<string>({ maxEntries, ttlMs, now: () => now });

  beforeEach(() => {
    now = 0;
  });

  it('forgets an entry once its TTL has passed since it was last written', () => {
    const entries = map();
    entries.set('a', 'first');
    now = 999;
    expect(entries.get('a')).toBe('first');
    entries.set('a', 'second');
    now = 1998;
    expect(entries.get('a')).toBe('second');
    now = 1999;
    expect(entries.get('a')).toBeUndefined();
    expect(entries.size).toBe(0);
  });

  it('evicts the least recently written entry beyond the cap', () => {
    const entries = map(2);
    entries.set('a', '1');
    entries.set('b', '2');
    entries.set('a', '3');
    entries.set('c', '4');
    expect(entries.get('b')).toBeUndefined();
    expect(entries.get('a')).toBe('3');
    expect(entries.get('c')).toBe('4');
    expect(entries.size).toBe(2);
  });

  it('drops expired entries on write so they do not count against the cap', () => {
    const entries = map(10);
    entries.set('a', '1');
    entries.set('b', '2');
    now = 1500;
    entries.set('c', '3');
    expect(entries.size).toBe(1);
  });

  it('deletes entries', () => {
    const entries = map();
    entries.set('a', '1');
    entries.delete('a');
    expect(entries.get('a')).toBeUndefined();
  });

  describe('onEvict', () => {
    let evicted: string[];
    const watched = (maxEntries = 3, ttlMs = 1000) =>
      new ExpiringLruMap<string>({
        maxEntries,
        ttlMs,
        now: () => now,
        onEvict: (key, value) => evicted.push(`${key}=${value}`),
      });

    beforeEach(() => {
      evicted = [];
    });

    it('is called for an entry read after its TTL', () => {
      const entries = watched();
      entries.set('a', '1');
      now = 1000;
      expect(entries.get('a')).toBeUndefined();
      expect(entries.get('a')).toBeUndefined();
      expect(evicted).toEqual(['a=1']);
    });

    it('is called for expired entries that a write drops', () => {
      const entries = watched(10);
      entries.set('a', '1');
      entries.set('b', '2');
      now = 1500;
      entries.set('c', '3');
      expect(evicted).toEqual(['a=1', 'b=2']);
    });

    it('is called for the least recently written entry beyond the cap', () => {
      const entries = watched(2);
      entries.set('a', '1');
      entries.set('b', '2');
      entries.set('a', '3');
      entries.set('c', '4');
      expect(evicted).toEqual(['b=2']);
    });

    it('is called by evictExpired for the expired entries only, oldest first', () => {
      const entries = watched();
      entries.set('a', '1');
      now = 100;
      entries.set('b', '2');
      now = 200;
      entries.set('c', '3');
      now = 1100;
      entries.evictExpired();
      expect(evicted).toEqual(['a=1', 'b=2']);
      expect(entries.size).toBe(1);
      expect(entries.get('c')).toBe('3');
    });

    it('is not called for deleted or overwritten entries', () => {
      const entries = watched();
      entries.set('a', '1');
      entries.set('a', '2');
      entries.set('b', '3');
      entries.delete('b');
      expect(evicted).toEqual([]);
      now = 1000;
      entries.evictExpired();
      expect(evicted).toEqual(['a=2']);
    });
  });
});
