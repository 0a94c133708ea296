import { E_DIVISIVE_T } from '../service/changepoints';
import { steps } from '../service/random';
import { ChangePointMethod } from '../service/changepoints/types';
import { byGroup, evaluateMethod } from './evaluate';

describe('evaluateMethod', () => {
  const data = (raw: unknown) => ({ series: [{ raw }] });

  it('scores a perfect and an empty prediction as TCPDBench would', () => {
    const step = steps(11, [
      [100, 10],
      [100, 20],
    ]);
    const report = evaluateMethod(
      E_DIVISIVE_T,
      [
        { name: 'step_00', data: data(step) },
        { name: 'flat_01', data: data(steps(12, [[200, 10]])) },
      ],
      { step_00: { a: [100], b: [101] }, flat_01: { a: [], b: [] } },
    );
    expect(report.datasets.map(d => d.predicted)).toEqual([[100], []]);
    expect(report.datasets.map(d => d.f1)).toEqual([1, 1]);
    expect(report.f1).toBe(1);
    // annotator b's [0,101) is covered 100/101 by [0,100), its [101,200) 99/100 by [100,200)
    const coverB = (101 * (100 / 101) + 99 * (99 / 100)) / 200;
    expect(report.datasets[0].cover).toBeCloseTo((1 + coverB) / 2, 12);
    expect(byGroup(report).map(g => g.group)).toEqual(['step', 'flat']);
  });

  it('counts a missed change against recall only', () => {
    const never: ChangePointMethod = { name: 'never', detect: () => [] };
    const report = evaluateMethod(
      never,
      [{ name: 's', data: data([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) }],
      { s: { a: [5] } },
    );
    // P = |{0}| / |{0}| = 1, R = 1/2 → F1 = 2/3
    expect(report.datasets[0].precision).toBe(1);
    expect(report.datasets[0].recall).toBe(0.5);
    expect(report.f1).toBeCloseTo(2 / 3, 12);
  });

  it('skips, with the reason, a dataset with missing values or several dimensions', () => {
    const report = evaluateMethod(
      E_DIVISIVE_T,
      [
        { name: 'x', data: data([1, null, 3]) },
        { name: 'y', data: { n_dim: 2, series: [{ raw: [1] }, { raw: [2] }] } },
        { name: 'z', data: data([1, 2, 3]) },
      ],
      { x: { a: [] }, y: { a: [] }, z: { a: [] } },
    );
    expect(report.skipped).toEqual([
      {
        name: 'x',
        reason: 'series[0].raw[1] must be a finite number, got null',
      },
      { name: 'y', reason: '2 dimensions; the detector is univariate' },
    ]);
    expect(report.datasets.map(d => d.name)).toEqual(['z']);
  });

  it('throws naming a dataset without annotations', () => {
    expect(() =>
      evaluateMethod(E_DIVISIVE_T, [{ name: 'y', data: data([1, 2]) }], {}),
    ).toThrow('y: no annotations');
  });
});
