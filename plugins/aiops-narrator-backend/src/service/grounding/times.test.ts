import { problemsOf } from '../__testUtils__/grounding';
import { knownTimes } from './times';

const check = (text: string) => problemsOf(knownTimes, text);

describe('known-times', () => {
  it('accepts the facts moments in UTC, cut or rounded to the minute', () => {
    // The first alert started at 07:04:05, the deployment at 07:01:10, the incident opened at 07:04:40.
    expect(
      check('since 07:04 UTC; deployed at 07:01; opened 07:05; at 07:04:05'),
    ).toEqual([]);
  });

  it('accepts dates and timestamps of the facts', () => {
    expect(
      check('on 2026-11-20, at 2026-11-20 07:04 UTC and 2026-11-20T07:01:10Z'),
    ).toEqual([]);
  });

  it('rejects other times, dates and timestamps', () => {
    expect(
      check('since 09:04 UTC, on 2026-11-21, at 2026-11-20T07:01:11Z'),
    ).toEqual([
      'states "09:04 UTC", a time that is not in the facts',
      'states "2026-11-21", a time that is not in the facts',
      'states "2026-11-20T07:01:11Z", a time that is not in the facts',
    ]);
  });

  it('reads a time with an offset in UTC', () => {
    expect(check('at 2026-11-20T08:04:05+01:00')).toEqual([]);
  });
});
