import { clock, dateTime, duration, list, plural } from './format';

describe('narrative formats', () => {
  it('write times in UTC whatever the server zone', () => {
    expect(clock('2026-11-20T07:04:59.900+01:00')).toBe('06:04 UTC');
    expect(dateTime('2026-11-20T23:59:00Z')).toBe('2026-11-20 23:59 UTC');
  });

  it('write a span in one unit', () => {
    expect(duration(40_000)).toBe('40 seconds');
    expect(duration(60_000)).toBe('1 minute');
    expect(duration(190_000)).toBe('3 minutes');
    expect(duration(119 * 60_000)).toBe('119 minutes');
    expect(duration(150 * 60_000)).toBe('2.5 hours');
  });

  it('cap lists with "and N more"', () => {
    expect(list([])).toBe('');
    expect(list(['a'])).toBe('a');
    expect(list(['a', 'b', 'c'])).toBe('a, b and c');
    expect(list(['a', 'b', 'c', 'd'], 3)).toBe('a, b, c and 1 more');
    expect(list('abcdefgh'.split(''))).toBe('a, b, c, d, e and 3 more');
  });

  it('agree a noun with its count', () => {
    expect(plural(1, 'entity', 'entities')).toBe('1 entity');
    expect(plural(2, 'alert')).toBe('2 alerts');
  });
});
