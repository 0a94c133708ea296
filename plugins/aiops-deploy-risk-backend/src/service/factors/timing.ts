import type { Factor, RiskPolicy } from '../types';
import { deployTime } from './time';

export const TIMING_FACTOR = 'timing@1';

export type Slot =
  | 'working-hours'
  | 'friday'
  | 'friday-afternoon'
  | 'off-hours'
  | 'weekend';

/** Fewer people around to notice and roll back; Friday work waits over a weekend. */
export const SLOT_POINTS: Record<Slot, number> = {
  'working-hours': 0,
  friday: 0.5,
  'friday-afternoon': 1,
  'off-hours': 1,
  weekend: 1,
};

const SLOT_WORDS: Record<Slot, string> = {
  'working-hours': 'during working hours',
  friday: 'on a Friday',
  'friday-afternoon': 'on a Friday afternoon',
  'off-hours': 'outside working hours',
  weekend: 'at the weekend',
};

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

/** Weekday (0 = Sunday) and hour of `at` in `timezone`; UTC when the zone is unknown. */
export function localTime(
  at: number,
  timezone: string,
): { weekday: number; hour: number; timezone: string } {
  let format = formats.get(timezone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        weekday: 'short',
        hour: 'numeric',
        hourCycle: 'h23',
      });
    } catch {
      return localTime(at, 'UTC');
    }
    // Bounded by the number of distinct zones in policies; invalid ones never get here.
    formats.set(timezone, format);
  }
  const parts = format.formatToParts(new Date(at));
  const weekday = WEEKDAYS.indexOf(
    parts.find(p => p.type === 'weekday')?.value ?? '',
  );
  const hour = Number(parts.find(p => p.type === 'hour')?.value ?? 0) % 24;
  return { weekday, hour, timezone };
}
export function slotOf(at: number, policy: RiskPolicy): Slot {
  const { weekday, hour } = localTime(at, policy.timezone);
  if (weekday === 0 || weekday === 6) return 'weekend';
  const { start, end } = policy.workingHours;
  if (hour < start || hour >= end) return 'off-hours';
  if (weekday === 5) {
    return hour >= policy.fridayCutoffHour ? 'friday-afternoon' : 'friday';
  }
  return 'working-hours';
}

/**
 * When the deploy lands against the owner's policy. Inside a freeze window it is blocked;
 * otherwise Fridays, off-hours and weekends add risk.
 */
export const timing: Factor = {
  id: 'timing',
  version: TIMING_FACTOR,
  measure(input) {
    const at = deployTime(input);
    const freezes = input.policy.freezeWindows
      .filter(w => Date.parse(w.startsAt) <= at && at < Date.parse(w.endsAt))
      .map(w => w.name)
      .sort();
    const slot = slotOf(at, input.policy);
    const local = localTime(at, input.policy.timezone).timezone;
    const when = `${SLOT_WORDS[slot]} (${local})`;
    return {
      id: this.id,
      version: this.version,
      label: 'Timing',
      value: SLOT_POINTS[slot],
      explanation: freezes.length
        ? `The deploy falls inside the freeze window ${freezes
            .map(n => `"${n}"`)
            .join(', ')}, ${when}.`
        : `The deploy is planned ${when}.`,
      ...(freezes.length
        ? { block: `a freeze window is in force (${freezes.join(', ')})` }
        : {}),
    };
  },
};
