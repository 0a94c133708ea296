import { parseTimeOfDay, quietHoursEnd } from './quietHours';

const overnight = {
  startMinute: 22 * 60,
  endMinute: 7 * 60,
  timeZone: 'Europe/Berlin',
  minSeverity: 'critical' as const,
};

describe('quietHoursEnd', () => {
  it('is off outside the window', () => {
    expect(
      quietHoursEnd(overnight, Date.parse('2026-11-25T12:00:00Z')),
    ).toBeUndefined();
    // 07:00 Berlin is the end: no longer quiet.
    expect(
      quietHoursEnd(overnight, Date.parse('2026-11-26T06:00:00Z')),
    ).toBeUndefined();
  });

  it('ends at the local end time, across midnight and in summer time', () => {
    expect(quietHoursEnd(overnight, Date.parse('2026-11-25T21:00:30Z'))).toBe(
      Date.parse('2026-11-26T06:00:00Z'),
    );
    expect(quietHoursEnd(overnight, Date.parse('2026-11-26T02:15:00Z'))).toBe(
      Date.parse('2026-11-26T06:00:00Z'),
    );
    // CEST is UTC+2: 07:00 local is 05:00 UTC.
    expect(quietHoursEnd(overnight, Date.parse('2026-07-01T01:00:00Z'))).toBe(
      Date.parse('2026-07-01T05:00:00Z'),
    );
  });

  it('ends at the local end time across a daylight-saving change', () => {
    // Berlin leaves summer time on 2026-10-25 at 03:00 CEST (01:00 UTC): 07:00 is then 06:00 UTC.
    expect(quietHoursEnd(overnight, Date.parse('2026-10-24T21:00:00Z'))).toBe(
      Date.parse('2026-10-25T06:00:00Z'),
    );
    // And enters it on 2026-03-29: 07:00 CEST is 05:00 UTC.
    expect(quietHoursEnd(overnight, Date.parse('2026-03-28T22:00:00Z'))).toBe(
      Date.parse('2026-03-29T05:00:00Z'),
    );
  });

  it('handles a window within one day', () => {
    const lunch = {
      ...overnight,
      startMinute: 12 * 60,
      endMinute: 13 * 60,
      timeZone: 'UTC',
    };
    expect(quietHoursEnd(lunch, Date.parse('2026-11-25T12:59:59Z'))).toBe(
      Date.parse('2026-11-25T13:00:00Z'),
    );
    expect(
      quietHoursEnd(lunch, Date.parse('2026-11-25T13:00:00Z')),
    ).toBeUndefined();
  });
});

describe('parseTimeOfDay', () => {
  it('reads HH:MM and refuses anything else', () => {
    expect(parseTimeOfDay('07:30')).toBe(450);
    expect(parseTimeOfDay('24:00')).toBeUndefined();
    expect(parseTimeOfDay('7:30')).toBeUndefined();
  });
});
