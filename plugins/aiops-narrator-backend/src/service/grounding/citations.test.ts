import { problemsOf } from '../__testUtils__/grounding';
import { citedEvidence, MAX_CITED } from './citations';

describe('cited-evidence', () => {
  it('accepts a claim citing ids of the facts', () => {
    expect(
      problemsOf(citedEvidence, 'cart was deployed.', [
        'dep-cart-2790',
        'a-cart-1',
      ]),
    ).toEqual([]);
  });

  it('leaves sections without citations to the other rules', () => {
    expect(problemsOf(citedEvidence, 'Anything.')).toEqual([]);
  });

  it('rejects a claim without evidence', () => {
    expect(problemsOf(citedEvidence, 'cart was deployed.', [])).toEqual([
      'cites no evidence',
    ]);
  });

  it('rejects invented evidence ids', () => {
    expect(
      problemsOf(citedEvidence, 'cart was deployed.', [
        'a-cart-1',
        'alert-9999',
      ]),
    ).toEqual(['cites evidence that does not exist: "alert-9999"']);
  });

  it('rejects a dump of ids', () => {
    expect(
      problemsOf(
        citedEvidence,
        'x',
        Array.from({ length: MAX_CITED + 1 }, () => 'a-cart-1'),
      ),
    ).toEqual([`cites ${MAX_CITED + 1} ids, more than ${MAX_CITED}`]);
  });
});
