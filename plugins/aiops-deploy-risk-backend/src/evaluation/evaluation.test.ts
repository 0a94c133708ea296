import {
  DAY,
  DEFAULT_HISTORY,
  generateHistory,
  type HistoryOptions,
} from './generate';
import { replay, weekendFreezes } from './replay';

const SMALL: HistoryOptions = {
  ...DEFAULT_HISTORY,
  seed: 'small',
  services: 12,
  warmupDays: 30,
  evaluatedDays: 60,
};

describe('generateHistory', () => {
  it('is deterministic for a seed', () => {
    const a = generateHistory(SMALL);
    const b = generateHistory(SMALL);
    expect(a.deploys.map(d => [d.id, d.at, d.failed])).toEqual(
      b.deploys.map(d => [d.id, d.at, d.failed]),
    );
    expect(generateHistory({ ...SMALL, seed: 'other' }).deploys).not.toEqual(
      a.deploys,
    );
  });

  it('generates at the scale the evaluation promises, in time order', () => {
    const h = generateHistory(DEFAULT_HISTORY);
    const evaluated = h.deploys.filter(d => d.at >= h.evaluatedFrom);
    expect(evaluated.length).toBeGreaterThanOrEqual(2000);
    expect(h.services.length).toBeGreaterThanOrEqual(50);
    expect(h.services.some(s => s.isNew)).toBe(true);
    expect(h.evaluatedTo - h.evaluatedFrom).toBeGreaterThanOrEqual(182 * DAY);
    expect(
      h.deploys.every((d, i) => i === 0 || h.deploys[i - 1].at <= d.at),
    ).toBe(true);
    const failed = evaluated.filter(d => d.failed).length / evaluated.length;
    expect(failed).toBeGreaterThan(0.05);
    expect(failed).toBeLessThan(0.3);
  });
});

describe('replay', () => {
  it('assesses each deploy only with what was known before it', () => {
    const h = generateHistory(SMALL);
    const cut = h.evaluatedFrom + 30 * DAY;
    const before = replay(h).filter(d => d.at < cut);
    // Rewrite everything after the cut: outcomes flip, incidents and regressions vanish.
    const rewritten = {
      ...h,
      deploys: h.deploys.map(d =>
        d.outcomeAt > cut ? { ...d, failed: !d.failed } : d,
      ),
      incidents: h.incidents.filter(i => i.openedAt < cut),
      regressions: h.regressions.filter(r => r.detectedAt < cut),
    };
    const after = replay(rewritten).filter(d => d.at < cut);
    expect(after.map(d => d.measures)).toEqual(before.map(d => d.measures));
    expect(before.length).toBeGreaterThan(50);
  });
});

describe('weekendFreezes', () => {
  it('expands Friday 16:00 to Monday 06:00 in the team offset', () => {
    const s = generateHistory(SMALL).services[0];
    const team = { ...s, utcOffset: 1 };
    // Saturday 2026-12-05 12:00 UTC: inside the freeze that began Friday 15:00 UTC.
    const windows = weekendFreezes(team, Date.parse('2026-12-05T12:00:00Z'));
    expect(windows).toContainEqual({
      name: 'weekend freeze',
      startsAt: '2026-12-04T15:00:00.000Z',
      endsAt: '2026-12-07T05:00:00.000Z',
    });
  });
});
