import { sharedTerms } from './sharedTerms';

describe('sharedTerms', () => {
  it('names the common words once, longest first, up to the limit', () => {
    expect(
      sharedTerms(
        ['redis', 'down', 'cart', 'redis', 'timeout'],
        ['cart', 'redis', 'timeout', 'memory'],
      ),
    ).toEqual(['timeout', 'redis', 'cart']);
    expect(
      sharedTerms(['aa', 'bbb', 'cccc'], ['aa', 'bbb', 'cccc'], 2),
    ).toEqual(['cccc', 'bbb']);
    expect(sharedTerms(['redis'], ['disk'])).toEqual([]);
  });
});
