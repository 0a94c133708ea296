import { sameValue } from './sameValue';

describe('sameValue', () => {
  it('compares like JSON serialization does', () => {
    expect(
      sameValue({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }),
    ).toBe(true);
    expect(sameValue({ a: 1, gone: undefined }, { a: 1 })).toBe(true);
    expect(sameValue({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue([], {})).toBe(false);
    expect(sameValue(null, undefined)).toBe(false);
    expect(sameValue('1', 1)).toBe(false);
  });
});
