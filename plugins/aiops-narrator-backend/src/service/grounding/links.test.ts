import { problemsOf } from '../__testUtils__/grounding';
import { noForeignLinks } from './links';

const check = (text: string) => problemsOf(noForeignLinks, text);

describe('no-foreign-links', () => {
  it('accepts the runbooks of the facts, bare or in markdown', () => {
    expect(
      check(
        'Follow https://runbooks.acme.example/cart or [the runbook](https://runbooks.acme.example/cart/).',
      ),
    ).toEqual([]);
  });

  it('rejects links and sites that are not in the facts', () => {
    expect(
      check(
        'See [the runbook](https://evil.example/x), http://attacker.example/login or steal.example.com.',
      ),
    ).toEqual([
      'links to "https://evil.example/x", which is not in the facts',
      'links to "http://attacker.example/login", which is not in the facts',
      'names the site "steal.example.com", which is not in the facts',
    ]);
  });

  it('rejects script links', () => {
    expect(check('Click javascript:alert(1)')).toHaveLength(1);
  });
});
