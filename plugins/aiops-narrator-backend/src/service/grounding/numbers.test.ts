import { problemsOf } from '../__testUtils__/grounding';
import { knownNumbers } from './numbers';

const check = (text: string) => problemsOf(knownNumbers, text);

describe('known-numbers', () => {
  it('accepts counts, scores, regression figures and numbers of the facts texts', () => {
    expect(
      check(
        '6 alerts on 4 entities; score 0.87; rose by 300% (120 to 480); 2 hops.',
      ),
    ).toEqual([]);
  });

  it('accepts a fact rounded to the precision written', () => {
    expect(check('score 0.9')).toEqual([]);
  });

  it('accepts "and N more" cut from a list of a fact size', () => {
    expect(check('a, b and 3 more')).toEqual([]);
  });

  it('rejects invented numbers and percentages', () => {
    expect(check('14 alerts fire; 37% of requests fail.')).toEqual([
      'states "14", a number that is not in the facts',
      'states "37%", a number that is not in the facts',
    ]);
  });

  it('does not take "N more" beyond what a list can have cut', () => {
    expect(check('a and 40 more')).toHaveLength(1);
  });

  it('leaves versions, times, durations and refs to their rules', () => {
    expect(
      check('2.790.99 at 23:59 UTC, 17 minutes, component:default/x9'),
    ).toEqual([]);
  });
});
