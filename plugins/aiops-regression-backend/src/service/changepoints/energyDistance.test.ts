import { bestSplit, WithinSums } from './energyDistance';
import { normalSampler, seededRandom } from '../random';

/** Q straight from the definition (Otava's compute_Q_and_candidate_slow). */
function qSlow(z: number[], a: number, tau: number, kappa: number): number {
  const x = z.slice(a, tau);
  const y = z.slice(tau, kappa);
  const n = x.length;
  const m = y.length;
  let cross = 0;
  for (const xi of x) for (const yj of y) cross += Math.abs(xi - yj);
  let wx = 0;
  for (let i = 0; i < n; i++)
    for (let k = i + 1; k < n; k++) wx += Math.abs(x[i] - x[k]);
  let wy = 0;
  for (let j = 0; j < m; j++)
    for (let k = j + 1; k < m; k++) wy += Math.abs(y[j] - y[k]);
  return (
    (2 / (m + n)) * cross -
    (n > 1 ? ((2 * m) / (m + n) / (n - 1)) * wx : 0) -
    (m > 1 ? ((2 * n) / (m + n) / (m - 1)) * wy : 0)
  );
}

describe('WithinSums', () => {
  it('holds every block within-sum', () => {
    const z = [3, -1, 4, 1, -5, 9, 2];
    const sums = new WithinSums(Float64Array.from(z));
    for (let i = 0; i <= z.length; i++) {
      for (let j = i; j <= z.length; j++) {
        let expected = 0;
        for (let p = i; p < j; p++)
          for (let q = p + 1; q < j; q++) expected += Math.abs(z[p] - z[q]);
        expect(sums.within(i, j)).toBeCloseTo(expected, 10);
      }
    }
  });
});

describe('WithinSums with a reused buffer', () => {
  it('gives the same sums over a buffer left dirty by a longer window', () => {
    const scratch = new Float64Array(11 * 11).fill(123);
    const longer = new WithinSums(
      Float64Array.from([5, 1, 7, 2, 9, 4, 4, 8, 0, 3]),
      scratch,
    );
    expect(longer.within(0, 10)).toBeGreaterThan(0);
    const z = Float64Array.from([3, -1, 4, 1, -5, 9, 2]);
    const reused = new WithinSums(z, scratch);
    const fresh = new WithinSums(z);
    for (let i = 0; i <= z.length; i++) {
      for (let j = i + 1; j <= z.length; j++) {
        expect(reused.within(i, j)).toBe(fresh.within(i, j));
      }
    }
  });
});

describe('bestSplit', () => {
  const normal = normalSampler(seededRandom(7));
  const z = Array.from({ length: 40 }, (_, i) => normal() + (i >= 23 ? 3 : 0));
  const sums = new WithinSums(Float64Array.from(z));

  it.each([
    [0, 40, 1],
    [0, 40, 5],
    [10, 33, 3],
  ])(
    'finds the brute-force maximum of Q on [%i, %i) with pieces of %i+',
    (a, b, min) => {
      let best = { index: -1, q: -Infinity };
      for (let tau = a + min; tau <= b - min; tau++) {
        for (let kappa = tau + min; kappa <= b; kappa++) {
          const q = qSlow(z, a, tau, kappa);
          if (q > best.q + 1e-9) best = { index: tau, q };
        }
      }
      const found = bestSplit(sums, a, b, min);
      expect(found?.index).toBe(best.index);
      expect(found?.q).toBeCloseTo(best.q, 8);
    },
  );

  it('finds the planted step', () => {
    expect(bestSplit(sums, 0, 40, 5)?.index).toBe(23);
  });

  it('refuses a segment too short for two pieces', () => {
    expect(bestSplit(sums, 0, 9, 5)).toBeNull();
  });
});
