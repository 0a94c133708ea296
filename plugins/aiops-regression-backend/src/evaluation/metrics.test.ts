import {
  coverSingle,
  covering,
  fMeasure,
  partitionFromCps,
  truePositives,
} from './metrics';
import reference from './__fixtures__/metrics-py-reference.json';

// Expected values are TCPDBench's own doctests (analysis/scripts/metrics.py); the segments
// there are sets, here [start, end) ranges of the same points.
describe('TCPDBench metrics', () => {
  it.each([
    [
      [1, 10, 20, 23],
      [3, 8, 20],
      [1, 10, 20],
    ],
    [
      [1, 10, 20, 23],
      [1, 3, 8, 20],
      [1, 10, 20],
    ],
    [
      [1, 10, 20, 23],
      [1, 3, 5, 8, 20],
      [1, 10, 20],
    ],
    [[], [1, 2, 3], []],
    [[1, 2, 3], [], []],
  ])('true_positives(%j, %j) = %j', (t, x, expected) => {
    expect([...truePositives(t, x)].sort((a, b) => a - b)).toEqual(expected);
  });

  it('uses each prediction once, closest annotation first', () => {
    // 10 takes 11 (distance 1); 14 then takes 16 rather than nothing
    expect([...truePositives([10, 14], [11, 16])]).toEqual([10, 14]);
    expect([...truePositives([10, 12], [11])]).toEqual([10]);
  });

  it.each([
    [{ 1: [10, 20], 2: [11, 20], 3: [10], 4: [0, 5] }, [10, 20], 1.0],
    [{ 1: [], 2: [10], 3: [50] }, [10], 0.9090909090909091],
    [{ 1: [], 2: [10], 3: [50] }, [], 0.8],
  ])('f_measure(%j, %j) = %f', (annotations, predictions, expected) => {
    expect(fMeasure(annotations, predictions).f).toBeCloseTo(expected, 12);
  });

  it('computes precision over the union and recall per annotator (by hand)', () => {
    // X = {0, 10, 30}; union {0, 10, 12, 40}: 0 and 10 matched → P = 2/3
    // annotator a {0, 10, 40}: 2/3; annotator b {0, 12}: 2/2 → R = 5/6
    const r = fMeasure({ a: [10, 40], b: [12] }, [10, 30]);
    expect(r.precision).toBeCloseTo(2 / 3, 12);
    expect(r.recall).toBeCloseTo(5 / 6, 12);
    expect(r.f).toBeCloseTo((2 * (2 / 3) * (5 / 6)) / (2 / 3 + 5 / 6), 12);
  });

  it.each([
    [[], 5, [[0, 5]]],
    [
      [3, 5],
      8,
      [
        [0, 3],
        [3, 5],
        [5, 8],
      ],
    ],
    [
      [1, 2, 7],
      8,
      [
        [0, 1],
        [1, 2],
        [2, 7],
        [7, 8],
      ],
    ],
    [
      [0, 4],
      6,
      [
        [0, 4],
        [4, 6],
      ],
    ],
  ])('partition_from_cps(%j, %i)', (cps, n, expected) => {
    expect(partitionFromCps(cps, n)).toEqual(expected);
  });

  it.each([
    // {1,2,3},{4,5},{6} vs {1,2,3},{4,5,6}: 0.8333…
    [
      [
        [1, 4],
        [4, 6],
        [6, 7],
      ],
      [
        [1, 4],
        [4, 7],
      ],
      0.8333333333333334,
    ],
    [
      [
        [1, 5],
        [5, 7],
      ],
      [[1, 7]],
      0.6666666666666666,
    ],
    [
      [
        [1, 3],
        [3, 5],
        [5, 7],
      ],
      [
        [1, 4],
        [4, 7],
      ],
      0.6666666666666666,
    ],
    [
      [[1, 7]],
      [
        [1, 2],
        [2, 3],
        [3, 4],
        [4, 7],
      ],
      0.3333333333333333,
    ],
  ])('cover_single', (sPrime, s, expected) => {
    expect(
      coverSingle(
        sPrime as Array<[number, number]>,
        s as Array<[number, number]>,
      ),
    ).toBeCloseTo(expected, 12);
  });

  it.each([
    [{ 1: [10, 20], 2: [10], 3: [0, 5] }, [10, 20], 45, 0.7962962962962963],
    [{ 1: [], 2: [10], 3: [40] }, [10], 45, 0.7954144620811286],
    [{ 1: [], 2: [10], 3: [40] }, [], 45, 0.8189300411522634],
  ])('covering(%j, %j, %i) = %f', (annotations, predictions, n, expected) => {
    expect(covering(annotations, predictions, n)).toBeCloseTo(expected, 12);
  });
});

// Scores of the detector's predictions on eight generated series, computed by running
// TCPDBench's metrics.py itself (Python 3.11) on the same annotations and predictions.
describe('against TCPDBench metrics.py', () => {
  it.each(reference.map(r => [r.name, r]))('%s', (_name, r) => {
    const f = fMeasure(r.annotations, r.predictions);
    expect(f.f).toBeCloseTo(r.f1, 12);
    expect(f.precision).toBeCloseTo(r.precision, 12);
    expect(f.recall).toBeCloseTo(r.recall, 12);
    expect(covering(r.annotations, r.predictions, r.nObs)).toBeCloseTo(
      r.covering,
      12,
    );
  });
});
