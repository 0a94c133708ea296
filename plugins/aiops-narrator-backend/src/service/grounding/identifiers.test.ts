import { problemsOf } from '../__testUtils__/grounding';
import { knownIdentifiers } from './identifiers';

const check = (text: string) => problemsOf(knownIdentifiers, text);

describe('known-identifiers', () => {
  it('accepts identifiers of the facts: names, metrics, evidence ids, alert names', () => {
    expect(
      check(
        'latency_p99 of redis-cart; dep-cart-2790 and a-cart-1; Frontend5xx.',
      ),
    ).toEqual([]);
  });

  it('accepts common English with dashes and digits', () => {
    expect(
      check('The on-call engineer sees 5xx and p99 up; a follow-up is due.'),
    ).toEqual([]);
  });

  it('rejects invented names and ids', () => {
    expect(check('cart-v2 and auth-service fail; see alert-9999.')).toEqual([
      'mentions "cart-v2", which occurs nowhere in the facts',
      'mentions "auth-service", which occurs nowhere in the facts',
      'mentions "alert-9999", which occurs nowhere in the facts',
    ]);
  });

  it('leaves catalog names that are not facts to the entity rule', () => {
    expect(check('payment-gateway fails.')).toEqual([]);
  });
});
