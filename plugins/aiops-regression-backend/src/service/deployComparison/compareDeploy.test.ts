import { InputError } from '@backstage/errors';
import { steps } from '../random';
import { compareDeploy, MetricWindows } from './compareDeploy';

const window = (seed: number, mean: number, sd: number, n = 60) =>
  steps(seed, [[n, mean]], sd);

describe('compareDeploy', () => {
  it('flags latency up as a regression, with the interval around the true difference', () => {
    const result = compareDeploy([
      {
        metric: 'latency_p95',
        badDirection: 'up',
        before: window(1, 200, 10),
        after: window(2, 260, 12),
      },
    ]);
    const [m] = result.metrics;
    expect(result.regressions).toEqual(['latency_p95']);
    expect(m.verdict).toBe('regression');
    expect(m.direction).toBe('up');
    expect(m.relativeChange).toBeCloseTo(0.3, 1);
    expect(m.confidenceInterval[0]).toBeLessThan(60);
    expect(m.confidenceInterval[1]).toBeGreaterThan(60);
    expect(m.confidenceInterval[0]).toBeGreaterThan(50);
    expect(m.adjustedPValue).toBeLessThan(1e-10);
  });

  it('uses Welch: matches scipy ttest_ind(equal_var=False) p and 95 % interval', () => {
    const before = [10, 12, 11, 13, 12, 11, 12, 11, 13, 12];
    const after = [15, 14, 16, 15, 17, 16, 15, 16, 15, 17];
    const [m] = compareDeploy([
      { metric: 'x', badDirection: 'up', before, after },
    ]).metrics;
    // scipy: ttest_ind(after, before, equal_var=False)
    expect(m.difference).toBeCloseTo(3.9, 12);
    expect(m.welchPValue / 3.69404705158072e-8).toBeCloseTo(1, 6);
    expect(m.confidenceInterval[0]).toBeCloseTo(3.0004176092447556, 8);
    expect(m.confidenceInterval[1]).toBeCloseTo(4.799582390755245, 8);
  });

  it('reads the bad direction per metric: throughput down is bad, throughput up is good', () => {
    const down = compareDeploy([
      {
        metric: 'throughput',
        badDirection: 'down',
        before: window(3, 1000, 30),
        after: window(4, 700, 30),
      },
      {
        metric: 'latency',
        badDirection: 'up',
        before: window(5, 200, 10),
        after: window(6, 150, 10),
      },
    ]);
    expect(down.metrics.map(m => m.verdict)).toEqual([
      'regression',
      'improvement',
    ]);
    expect(down.regressions).toEqual(['throughput']);
  });

  it('ignores a significant change below the minimum effect, and noise', () => {
    const result = compareDeploy([
      {
        metric: 'small',
        badDirection: 'up',
        before: window(7, 100, 1, 500),
        after: window(8, 103, 1, 500),
      },
      {
        metric: 'same',
        badDirection: 'up',
        before: window(9, 100, 5),
        after: window(10, 100, 5),
      },
    ]);
    expect(result.metrics[0].adjustedPValue).toBeLessThan(0.001);
    expect(result.metrics.map(m => m.verdict)).toEqual([
      'no-change',
      'no-change',
    ]);
  });

  it('does not let one spike make a regression (Mann–Whitney disagrees)', () => {
    const before = window(11, 100, 5);
    const after = window(12, 100, 5);
    after[10] = 5000;
    const [m] = compareDeploy([
      { metric: 'latency', badDirection: 'up', before, after },
    ]).metrics;
    expect(m.relativeChange).toBeGreaterThan(0.5);
    expect(m.mannWhitneyPValue).toBeGreaterThan(0.05);
    expect(m.verdict).toBe('no-change');
  });

  it('counts an error rate leaving 0 as a change, with relativeChange null', () => {
    const [m] = compareDeploy([
      {
        metric: 'error_rate',
        badDirection: 'up',
        before: new Array(30).fill(0),
        after: window(13, 0.05, 0.01, 30),
      },
    ]).metrics;
    expect(m.relativeChange).toBeNull();
    expect(m.verdict).toBe('regression');
  });

  it('adjusts across metrics: a borderline metric alone passes, among many it does not', () => {
    const borderline: MetricWindows = {
      metric: 'm0',
      badDirection: 'up',
      before: window(20, 100, 20, 20),
      after: window(21, 115, 20, 20),
    };
    const alone = compareDeploy([borderline]).metrics[0];
    const noise = Array.from({ length: 5 }, (_, i) => ({
      metric: `n${i}`,
      badDirection: 'up' as const,
      before: window(30 + i, 100, 20, 20),
      after: window(40 + i, 100, 20, 20),
    }));
    const among = compareDeploy([borderline, ...noise]).metrics[0];
    expect(among.pValue).toBe(alone.pValue);
    expect(among.adjustedPValue).toBeGreaterThan(alone.adjustedPValue);
  });

  it('rejects bad input naming the field', () => {
    const ok = { metric: 'a', badDirection: 'up' as const };
    const ten = new Array(10).fill(1);
    expect(() => compareDeploy([])).toThrow(InputError);
    expect(() =>
      compareDeploy([{ ...ok, before: [...ten, NaN], after: ten }]),
    ).toThrow('metrics[0].before[10] must be a finite number, got NaN');
    expect(() =>
      compareDeploy([{ ...ok, before: ten, after: [1, 2] }]),
    ).toThrow('metrics[0].after has 2 points; at least 10 are needed');
    expect(() =>
      compareDeploy([
        { ...ok, before: ten, after: ten },
        { ...ok, before: ten, after: ten },
      ]),
    ).toThrow('metrics[1].metric a appears twice');
    expect(() =>
      compareDeploy([
        { ...ok, badDirection: 'sideways' as any, before: ten, after: ten },
      ]),
    ).toThrow('metrics[0].badDirection');
    expect(() =>
      compareDeploy([{ ...ok, before: ten, after: ten }], { alpha: 0 }),
    ).toThrow(/alpha/);
  });
});
