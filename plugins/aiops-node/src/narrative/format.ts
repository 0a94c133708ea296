/*
 * How narratives write times, durations and lists. Shared by the template (which writes them)
 * and the grounding check (which reads them back), so the two never disagree on a format.
 */

/** Lists in a narrative name at most this many items, then say "and N more". */
export const MAX_LISTED = 5;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const pad = (n: number) => String(n).padStart(2, '0');

/** `10:03 UTC`: always UTC, so a narrative reads the same on every server and in every page. */
export function clock(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** `2026-11-20 10:03 UTC` */
export function dateTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 10)} ${clock(iso)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A span in one unit, as people say it: seconds under a minute, minutes under two hours, then
 * hours with one decimal. One unit only, so that each number stands for one fact.
 */
export function duration(ms: number): string {
  if (ms < MINUTE) return plural(Math.round(ms / 1000), 'second');
  if (ms < 2 * HOUR) return plural(Math.round(ms / MINUTE), 'minute');
  return `${Math.round((ms / HOUR) * 10) / 10} hours`;
}

/** `a`, `a and b`, `a, b and c`, `a, b, c, d, e and 3 more`. */
export function list(items: string[], max = MAX_LISTED): string {
  if (items.length === 0) return '';
  if (items.length === 1) return items[0];
  if (items.length <= max)
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** First letter upper-case, for a sentence that starts with a name or a severity. */
export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}
