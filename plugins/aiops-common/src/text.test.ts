import { trimTrailing } from './text';

describe('trimTrailing', () => {
  it.each([
    ['https://argocd.example.com///', 'https://argocd.example.com'],
    ['https://argocd.example.com', 'https://argocd.example.com'],
    ['https://a.example//b/', 'https://a.example//b'],
    ['///', ''],
    ['', ''],
  ])('trims the slashes at the end of %j only', (text, expected) => {
    expect(trimTrailing(text, '/')).toBe(expected);
  });

  it('handles 100,000 trailing characters, and a long run that is not at the end', () => {
    const run = '/'.repeat(100_000);
    expect(trimTrailing(`https://x${run}`, '/')).toBe('https://x');
    expect(trimTrailing(`${run}x`, '/')).toBe(`${run}x`);
  });

  it('refuses more than one character, which it would not treat as a unit', () => {
    expect(() => trimTrailing('ab', 'ab')).toThrow(TypeError);
  });
});
