import { knownMetric } from '../metrics';
import { normalSampler, seededRandom } from '../service/random';
import {
  changePointCandidates,
  deployCandidates,
  driftCandidate,
  recovered,
  type Point,
} from './candidates';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-03T00:00:00.000Z');
const latency = knownMetric('latency_p99_ms')!;
const throughput = knownMetric('throughput_rps')!;
const CART = 'component:default/cart';

/** Per-minute points from T0: `level(i)` plus noise of 2 % of it. */
function series(
  length: number,
  level: (i: number) => number,
  seed = 1,
): Point[] {
  const noise = normalSampler(seededRandom(seed));
  return Array.from({ length }, (_, i) => ({
    at: T0 + i * MINUTE,
    value: level(i) * (1 + 0.02 * noise()),
  }));
}

const changePointOptions = {
  maxPValue: 0.001,
  windowLength: 50,
  minSegment: 5,
  deployLinkMs: 30 * MINUTE,
};

describe('changePointCandidates', () => {
  it('raises a step up in latency, linked to the deploy just before it', () => {
    const points = series(300, i => (i < 200 ? 100 : 150));
    const [found, ...rest] = changePointCandidates(
      CART,
      latency,
      points,
      [
        { id: 'old', at: T0 + 100 * MINUTE },
        { id: 'bad', at: T0 + 195 * MINUTE },
      ],
      changePointOptions,
    );
    expect(rest).toEqual([]);
    expect(found).toMatchObject({
      entityRef: CART,
      metric: 'latency_p99_ms',
      direction: 'increase',
      changeAt: new Date(T0 + 200 * MINUTE).toISOString(),
      before: { n: 200 },
      after: { n: 100 },
      method: 'e-divisive-t@1',
      deploymentId: 'bad',
    });
    expect(found.relativeChange).toBeCloseTo(0.5, 1);
    expect(found.pValue).toBeLessThan(0.001);
  });

  it('leaves out improvements, changes below the floor and short series', () => {
    const down = series(300, i => (i < 200 ? 100 : 60));
    expect(
      changePointCandidates(CART, latency, down, [], changePointOptions),
    ).toEqual([]);
    const small = series(300, i => (i < 200 ? 100 : 105));
    expect(
      changePointCandidates(CART, latency, small, [], changePointOptions),
    ).toEqual([]);
    // For throughput a fall is the regression.
    expect(
      changePointCandidates(CART, throughput, down, [], changePointOptions),
    ).toMatchObject([{ direction: 'decrease', metric: 'throughput_rps' }]);
    expect(
      changePointCandidates(
        CART,
        latency,
        series(10, () => 1),
        [],
        changePointOptions,
      ),
    ).toEqual([]);
  });
});

describe('deployCandidates', () => {
  const windows = { beforeMs: 30 * MINUTE, afterMs: 30 * MINUTE, alpha: 0.05 };

  it('compares the windows either side of the deploy per metric', () => {
    const deploy = { id: 'deploy-7', at: T0 + 60 * MINUTE };
    const found = deployCandidates(
      CART,
      deploy,
      [
        { metric: latency, points: series(120, i => (i < 60 ? 100 : 140)) },
        { metric: throughput, points: series(120, () => 50, 2) },
      ],
      windows,
    );
    expect(found).toEqual([
      expect.objectContaining({
        metric: 'latency_p99_ms',
        direction: 'increase',
        changeAt: new Date(deploy.at).toISOString(),
        before: { mean: expect.closeTo(100, -1), n: 30 },
        after: { mean: expect.closeTo(140, -1), n: 30 },
        method: 'welch-mann-whitney-holm@1',
        deploymentId: 'deploy-7',
      }),
    ]);
  });

  it('gives nothing when no metric has ten points each side', () => {
    expect(
      deployCandidates(
        CART,
        { id: 'd', at: T0 + 115 * MINUTE },
        [{ metric: latency, points: series(120, i => (i < 115 ? 100 : 200)) }],
        windows,
      ),
    ).toEqual([]);
  });
});

describe('driftCandidate', () => {
  // A day of 48 half-hour-like steps here; a daily cycle with the last 12 steps 30 % higher.
  const period = 48;
  const cycle = (i: number) =>
    100 + 40 * Math.sin((2 * Math.PI * (i % period)) / period);
  const options = {
    from: T0,
    stepMs: 5 * MINUTE,
    period,
    recent: 12,
    seasons: 7,
  };
  const length = 12 + period * 7;

  it('raises the recent window above the same hours of every previous day', () => {
    const points = series(
      length,
      i => cycle(i) * (i >= length - 12 ? 1.3 : 1),
    ).map(p => ({ ...p, at: T0 + ((p.at - T0) / MINUTE) * 5 * MINUTE }));
    expect(driftCandidate(CART, latency, points, options)).toMatchObject({
      direction: 'increase',
      method: 'seasonal-drift-welch@1',
      changeAt: new Date(T0 + (length - 12) * 5 * MINUTE).toISOString(),
      after: { n: 12 },
      before: { n: 84 },
    });
  });

  it('does not take the daily cycle for drift, and needs a day of history', () => {
    const points = series(length, cycle).map(p => ({
      ...p,
      at: T0 + ((p.at - T0) / MINUTE) * 5 * MINUTE,
    }));
    expect(driftCandidate(CART, latency, points, options)).toBeUndefined();
    expect(
      driftCandidate(CART, latency, points.slice(-period), options),
    ).toBeUndefined();
  });
});

describe('recovered', () => {
  const regression = {
    changeAt: new Date(T0 + 60 * MINUTE).toISOString(),
    before: { mean: 100 },
  };
  const recentFrom = T0 + 90 * MINUTE;

  it('is true once the recent window is back within the floor of the level before', () => {
    expect(
      recovered(
        regression,
        latency,
        series(120, () => 105),
        recentFrom,
      ),
    ).toBe(true);
    expect(
      recovered(
        regression,
        latency,
        series(120, () => 130),
        recentFrom,
      ),
    ).toBe(false);
    // Throughput is worse when lower.
    expect(
      recovered(
        regression,
        throughput,
        series(120, () => 70),
        recentFrom,
      ),
    ).toBe(false);
    expect(
      recovered(
        regression,
        throughput,
        series(120, () => 130),
        recentFrom,
      ),
    ).toBe(true);
  });

  it('says nothing with too few recent points or a window that starts before the change', () => {
    expect(
      recovered(
        regression,
        latency,
        series(95, () => 100),
        recentFrom,
      ),
    ).toBe(false);
    expect(
      recovered(
        regression,
        latency,
        series(120, () => 100),
        T0 + 30 * MINUTE,
      ),
    ).toBe(false);
    const fromZero = { ...regression, before: { mean: 0 } };
    expect(
      recovered(
        fromZero,
        latency,
        series(120, () => 0),
        recentFrom,
      ),
    ).toBe(true);
    expect(
      recovered(
        fromZero,
        latency,
        series(120, () => 0.01),
        recentFrom,
      ),
    ).toBe(false);
  });
});
