import { riskInput } from '../__testUtils__/input';
import { changeSize } from './changeSize';

const diff = (added: number, deleted: number) => ({
  filesChanged: 3,
  linesAdded: added,
  linesDeleted: deleted,
  paths: [],
});

describe('change-size@1', () => {
  it('assumes a typical change without diff stats', () => {
    const m = changeSize.measure(riskInput());
    expect(m.value).toBe(0);
    expect(m.explanation).toContain('No diff statistics');
  });

  it('is log10 of the lines changed, centred on 100 lines', () => {
    expect(
      changeSize.measure(riskInput({ request: { diffStats: diff(600, 399) } }))
        .value,
    ).toBeCloseTo(1, 3);
    const tiny = changeSize.measure(
      riskInput({ request: { diffStats: diff(0, 0) } }),
    );
    expect(tiny.value).toBe(-2);
    expect(tiny.explanation).toBe('0 lines changed in 3 files.');
  });

  it('ignores negative counts', () => {
    expect(
      changeSize.measure(riskInput({ request: { diffStats: diff(-50, 9) } }))
        .value,
    ).toBeCloseTo(-1, 3);
  });
});
