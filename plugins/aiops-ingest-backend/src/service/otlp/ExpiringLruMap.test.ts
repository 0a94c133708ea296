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
});
