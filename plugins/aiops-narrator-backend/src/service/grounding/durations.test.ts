import { problemsOf } from '../__testUtils__/grounding';
import { knownDurations } from './durations';

const check = (text: string) => problemsOf(knownDurations, text);

describe('known-durations', () => {
  it('accepts spans between facts, cut or rounded to the unit written', () => {
    // dep-cart-2790 at 07:01:10, first alert on cart at 07:04:20: 3 min 10 s.
    expect(
      check('3 minutes before its first alert; 190 seconds; 3 min'),
    ).toEqual([]);
  });

  it('accepts durations the facts texts state', () => {
    expect(check('3 min before the first alert on cart')).toEqual([]);
  });

  it('rejects other durations', () => {
    expect(check('deployed 12 minutes before; down for 2 hours')).toEqual([
      'states "12 minutes", a duration that is not in the facts',
      'states "2 hours", a duration that is not in the facts',
    ]);
  });
});
