import { MAX_ECHOED_LENGTH, echoed, withEchoesCut } from './echo';

describe('echoed', () => {
  it('shows short input as it is', () => {
    expect(echoed('team')).toBe('team');
    expect(echoed('x'.repeat(MAX_ECHOED_LENGTH))).toBe(
      'x'.repeat(MAX_ECHOED_LENGTH),
    );
  });

  it('cuts long input to the limit and marks the cut', () => {
    expect(echoed('k'.repeat(200_000))).toBe(
      `${'k'.repeat(MAX_ECHOED_LENGTH)}…`,
    );
    expect(echoed('abcdef', 3)).toBe('abc…');
  });

  it('never shows half of a surrogate pair or a lone surrogate', () => {
    // The cut falls between the two halves of 😀.
    expect(echoed(`ab😀`, 3)).toBe('ab\ufffd…');
    expect(echoed('a\ud800b')).toBe('a\ufffdb');
  });
});

describe('withEchoesCut', () => {
  it('cuts each long run between spaces, slashes and dots, leaving the rest of the message', () => {
    const key = 'k'.repeat(200_000);
    expect(
      withEchoesCut(`request/body/alerts/0/labels/${key} must be string`),
    ).toBe(
      `request/body/alerts/0/labels/${'k'.repeat(
        MAX_ECHOED_LENGTH,
      )}… must be string`,
    );
    expect(withEchoesCut(`labels.${key}.x and ${key}`)).toBe(
      `labels.${'k'.repeat(MAX_ECHOED_LENGTH)}….x and ${'k'.repeat(
        MAX_ECHOED_LENGTH,
      )}…`,
    );
    expect(
      withEchoesCut('request/body must have required property alerts'),
    ).toBe('request/body must have required property alerts');
  });
});
