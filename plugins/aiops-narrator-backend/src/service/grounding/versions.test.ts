import { problemsOf } from '../__testUtils__/grounding';
import { knownVersions } from './versions';

const check = (text: string) => problemsOf(knownVersions, text);

describe('known-versions', () => {
  it('accepts deployed and previous versions, with or without v', () => {
    expect(check('cart 2.790.23 replaced v2.790.22.')).toEqual([]);
  });

  it('rejects other versions', () => {
    expect(check('cart 2.790.24 was deployed.')).toEqual([
      'states version "2.790.24", which no deployment has',
    ]);
    expect(check('cart v3 was deployed.')).toHaveLength(1);
  });
});
