import { parseRetryAfter } from './callPolicy';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-03T14:00:00Z');

  it.each([
    ['2', 2000],
    [' 0.5 ', 500],
    ['Thu, 03 Dec 2026 14:00:30 GMT', 30_000],
    ['Thu, 03 Dec 2026 13:59:00 GMT', 0],
  ])('reads %j as %d ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it.each([null, undefined, '', 'soon', '-3'])('ignores %j', header => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
