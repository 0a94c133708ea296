import { paraphrase } from './paraphrase';
import { seededRandom } from './random';

describe('paraphrase', () => {
  it('replaces phrases of a synonym set, keeping identifiers and an initial capital', () => {
    const always = () => 0;
    // random() = 0: always replace, always with the first other member.
    expect(
      paraphrase(
        always,
        'Rolled back checkout; PostgresDiskFull, disk full on orders-db, database-1.',
        1,
      ),
    ).toBe(
      'Reverted checkout; PostgresDiskFull, volume exhausted on orders-db, database-1.',
    );
  });

  it('leaves a text alone with probability 0 and is deterministic for a seed', () => {
    const text = 'Restarted the pods after the deploy; errors stopped';
    expect(paraphrase(seededRandom('x'), text, 0)).toBe(text);
    expect(paraphrase(seededRandom('s'), text)).toBe(
      paraphrase(seededRandom('s'), text),
    );
  });
});
