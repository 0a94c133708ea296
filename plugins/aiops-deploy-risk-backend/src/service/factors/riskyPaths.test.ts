import { riskInput } from '../__testUtils__/input';
import { riskyPaths } from './riskyPaths';

const withPaths = (paths: string[]) =>
  riskInput({
    request: {
      diffStats: {
        filesChanged: paths.length,
        linesAdded: 10,
        linesDeleted: 0,
        paths,
      },
    },
  });

describe('risky-paths@1', () => {
  it('is 0 for ordinary code and says when no paths were given', () => {
    expect(riskyPaths.measure(withPaths(['src/a.ts'])).value).toBe(0);
    expect(riskyPaths.measure(riskInput()).explanation).toBe(
      'No changed paths were given.',
    );
  });

  it('adds each kind once, however many files of it change', () => {
    const m = riskyPaths.measure(
      withPaths([
        'db/migrations/1.sql',
        'db/migrations/2.sql',
        'package.json',
        'src/a.ts',
      ]),
    );
    expect(m.value).toBeCloseTo(1.6);
    expect(m.explanation).toBe(
      'The change touches database migrations (2), dependency manifests (1).',
    );
  });
});
