import { alert, c, tracked } from '../__testUtils__/builders';
import { arrivedResolved } from './alreadyResolved';

describe('arrivedResolved', () => {
  it('is true for a first delivery that is already resolved', () => {
    expect(arrivedResolved(alert('a', c('cart'), { end: 2 }), undefined)).toBe(
      true,
    );
  });
  it('is false for a firing alert or a resolve of a known alert', () => {
    expect(arrivedResolved(alert('a', c('cart')), undefined)).toBe(false);
    expect(
      arrivedResolved(
        alert('a', c('cart'), { end: 2 }),
        tracked(alert('a', c('cart'))),
      ),
    ).toBe(false);
  });
});
