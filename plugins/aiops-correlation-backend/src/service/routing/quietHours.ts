import type { QuietHours } from './types';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * When quiet hours that are on at `nowMs` end; `undefined` when they are not on. Time zone
 * offsets are whole minutes, so the end falls on a whole minute of UTC too.
 */
export function quietHoursEnd(
  hours: QuietHours,
  nowMs: number,
): number | undefined {
  const local = localMinuteOfDay(nowMs, hours.timeZone);
  const { startMinute: start, endMinute: end } = hours;
  const on =
    start <= end
      ? local >= start && local < end
      : local >= start || local < end;
  if (!on) return undefined;
  const untilEnd = (end - local + DAY_MINUTES) % DAY_MINUTES;
  const naive = nowMs - (nowMs % MINUTE) + untilEnd * MINUTE;
  // A clock change inside the window moves its end by the change (usually an hour).
  const drift = end - localMinuteOfDay(naive, hours.timeZone);
  const wrapped =
    ((((drift + DAY_MINUTES / 2) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES) -
    DAY_MINUTES / 2;
  return naive + wrapped * MINUTE;
}

function localMinuteOfDay(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const part = (type: string) =>
    Number(parts.find(p => p.type === type)?.value ?? 0);
  return part('hour') * 60 + part('minute');
}

/** `HH:MM` → minutes after midnight; `undefined` when it is not a time of day. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    return Boolean(new Intl.DateTimeFormat('en-GB', { timeZone }));
  } catch {
    return false;
  }
}
