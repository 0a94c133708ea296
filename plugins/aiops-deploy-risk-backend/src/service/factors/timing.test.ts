import { riskInput } from '../__testUtils__/input';
import { localTime, timing } from './timing';

const at = (plannedAt: string, timezone = 'UTC') =>
  riskInput({
    request: { plannedAt },
    policy: {
      timezone,
      workingHours: { start: 9, end: 18 },
      fridayCutoffHour: 14,
      freezeWindows: [
        {
          name: 'year-end',
          startsAt: '2026-12-24T00:00:00Z',
          endsAt: '2026-12-27T00:00:00Z',
        },
      ],
    },
  });

describe('timing@1', () => {
  it.each([
    ['2026-12-02T10:00:00Z', 0, 'during working hours'], // Wednesday
    ['2026-12-04T10:00:00Z', 0.5, 'on a Friday'],
    ['2026-12-04T15:00:00Z', 1, 'on a Friday afternoon'],
    ['2026-12-02T22:00:00Z', 1, 'outside working hours'],
    ['2026-12-05T10:00:00Z', 1, 'at the weekend'],
  ])('%s scores %d', (plannedAt, value, words) => {
    const m = timing.measure(at(plannedAt));
    expect(m.value).toBe(value);
    expect(m.explanation).toBe(`The deploy is planned ${words} (UTC).`);
    expect(m.block).toBeUndefined();
  });

  it('reads the hour in the policy time zone', () => {
    // 08:00 UTC on a Wednesday is 17:00 in Tokyo: still working hours; 10:00 UTC is not.
    expect(timing.measure(at('2026-12-02T08:00:00Z', 'Asia/Tokyo')).value).toBe(
      0,
    );
    expect(timing.measure(at('2026-12-02T10:00:00Z', 'Asia/Tokyo')).value).toBe(
      1,
    );
  });

  it('falls back to UTC for an unknown zone and says so', () => {
    const m = timing.measure(at('2026-12-02T10:00:00Z', 'Mars/Olympus'));
    expect(m.explanation).toBe(
      'The deploy is planned during working hours (UTC).',
    );
    expect(localTime(0, 'Nowhere/Else').timezone).toBe('UTC');
  });

  it('blocks inside a freeze window, end exclusive', () => {
    const inside = timing.measure(at('2026-12-24T10:00:00Z'));
    expect(inside.block).toBe('a freeze window is in force (year-end)');
    expect(inside.explanation).toContain('inside the freeze window "year-end"');
    expect(timing.measure(at('2026-12-27T00:00:00Z')).block).toBeUndefined();
  });

  it('uses the assessment time when no deploy time is planned', () => {
    const m = timing.measure(riskInput({ now: '2026-12-05T10:00:00Z' }));
    expect(m.value).toBe(1);
  });
});
