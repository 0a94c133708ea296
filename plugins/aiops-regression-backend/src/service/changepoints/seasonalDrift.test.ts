import { normalSampler, seededRandom } from '../random';
import { seasonalDrift } from './seasonalDrift';

/** `days` days of `period` points: a daily cycle of ±50 around 200, noise sd 5. */
function daily(seed: number, days: number, period = 96): number[] {
  const normal = normalSampler(seededRandom(seed));
  return Array.from(
    { length: days * period },
    (_, i) => 200 + 50 * Math.sin((2 * Math.PI * i) / period) + 5 * normal(),
  );
}

describe('seasonalDrift', () => {
  it('does not call the daily cycle drift', () => {
    // the last 12 points sit on the cycle's slope, far from the series mean, as every day
    const r = seasonalDrift(daily(1, 8), { period: 96, recent: 12 });
    expect(r.direction).toBe('none');
    expect(r.baselineSeasons).toBe(7);
    expect(Math.abs(r.relativeChange ?? 1)).toBeLessThan(0.05);
  });

  it('finds the same hour 30 % higher than on every previous day', () => {
    const series = daily(2, 8);
    for (let i = series.length - 12; i < series.length; i++) series[i] *= 1.3;
    const r = seasonalDrift(series, { period: 96, recent: 12 });
    expect(r.direction).toBe('up');
    expect(r.outsideEverySeason).toBe(true);
    expect(r.relativeChange).toBeCloseTo(0.3, 1);
    expect(r.pValue).toBeLessThan(1e-6);
  });

  it('finds a drop and uses the seasons available', () => {
    const series = daily(3, 3);
    for (let i = series.length - 12; i < series.length; i++) series[i] *= 0.6;
    const r = seasonalDrift(series, { period: 96, recent: 12 });
    expect(r.direction).toBe('down');
    expect(r.baselineSeasons).toBe(2);
  });

  it('ignores a change below minRelativeChange', () => {
    const series = daily(4, 8);
    for (let i = series.length - 12; i < series.length; i++) series[i] *= 1.05;
    const r = seasonalDrift(series, { period: 96, recent: 12 });
    expect(r.direction).toBe('none');
  });

  it('rejects a series too short for one baseline season, naming the fields', () => {
    expect(() =>
      seasonalDrift(daily(5, 1), { period: 96, recent: 12 }),
    ).toThrow(
      'values has 96 points; a seasonal baseline needs at least recent + period = 108',
    );
    expect(() =>
      seasonalDrift(daily(5, 2), { period: 96, recent: 200 }),
    ).toThrow(/recent/);
  });
});
