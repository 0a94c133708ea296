import { InputError } from '@backstage/errors';
import { E_DIVISIVE_T, eDivisiveT } from './eDivisive';
import { steps } from '../random';
import reference from './__fixtures__/otava-reference.json';

describe('eDivisiveT', () => {
  it.each(reference.map((r, i) => [i, r.series, r.otava]))(
    'finds the change points Apache Otava finds on reference series %i',
    (_i, series, otava) => {
      // Otava allows one-point regimes; minSegment 2 is the closest this allows
      const found = eDivisiveT(series as number[], { minSegment: 2 });
      expect(found.map(c => c.index)).toEqual(otava);
    },
  );

  it('reports the level either side, the relative change and a p-value', () => {
    const series = steps(1, [
      [80, 100],
      [80, 130],
    ]);
    const [cp, ...rest] = eDivisiveT(series);
    expect(rest).toEqual([]);
    expect(cp.index).toBe(80);
    expect(cp.before).toBeCloseTo(100, 0);
    expect(cp.after).toBeCloseTo(130, 0);
    expect(cp.relativeChange).toBeCloseTo(0.3, 1);
    expect(cp.pValue).toBeLessThan(1e-10);
  });

  it('finds nothing in noise or in a constant series', () => {
    expect(eDivisiveT(steps(2, [[500, 50]], 5))).toEqual([]);
    expect(eDivisiveT(new Array(100).fill(3))).toEqual([]);
    expect(eDivisiveT([])).toEqual([]);
  });

  it('does not make a regime of a lone spike', () => {
    const series = steps(3, [[200, 10]]);
    series[120] = 60;
    expect(eDivisiveT(series)).toEqual([]);
  });

  it('drops changes below minRelativeChange and keeps the strongest under maxChangePoints', () => {
    const series = steps(4, [
      [100, 100],
      [100, 103],
      [100, 150],
    ]);
    expect(eDivisiveT(series).map(c => c.index)).toEqual([100, 200]);
    expect(
      eDivisiveT(series, { minRelativeChange: 0.1 }).map(c => c.index),
    ).toEqual([200]);
    expect(
      eDivisiveT(series, { maxChangePoints: 1 }).map(c => c.index),
    ).toEqual([200]);
  });

  it('is deterministic and named with its version', () => {
    const series = steps(5, [
      [70, 1],
      [70, 2],
    ]);
    expect(E_DIVISIVE_T.detect(series)).toEqual(eDivisiveT(series));
    expect(E_DIVISIVE_T.name).toBe('e-divisive-t@1');
  });

  it('rejects bad input naming the point or option', () => {
    expect(() => eDivisiveT([1, 2, NaN, 4])).toThrow(
      new InputError('values[2] must be a finite number, got NaN'),
    );
    expect(() => eDivisiveT([1, 2], { maxPValue: 2 })).toThrow(/maxPValue/);
    expect(() =>
      eDivisiveT([1, 2], { windowLength: 20, minSegment: 11 }),
    ).toThrow(/minSegment/);
  });
});
