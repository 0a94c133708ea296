import { InputError } from '@backstage/errors';
import { Frequency, RRule, type Options } from 'rrule';
import { anchoredPattern } from './rules/silences';
import type { Silence, SilenceSpec } from '@aiops/plugin-aiops-common';
import type { CoreSilence, SilenceMatcher } from './types';

export type { SilenceSpec };
export type StoredSilence = Silence;

export interface SilenceWindow {
  startsAt: string;
  endsAt: string;
}

/** A longer occurrence is more likely a mistake than a maintenance window. */
const MAX_SILENCE_DURATION_MS = 31 * 24 * 60 * 60 * 1000;
/** Bounds the work of expanding a finite rule (about 27 years of a daily window). */
const MAX_SILENCE_OCCURRENCES = 10_000;
/**
 * How far from startsAt validation looks for occurrences. rrule.js walks period by period, up
 * to the year 9999 when a rule's dates are rare or impossible (`BYMONTH=2;BYMONTHDAY=30`): an
 * hourly rule took over a minute, blocking the event loop. Ten years of hours is 87,600 periods.
 */
const OCCURRENCE_HORIZON_MS = 10 * 366 * 24 * 60 * 60 * 1000;
const HORIZON_YEARS = 10;
const MAX_SILENCE_COMMENT_LENGTH = 2000;

const MATCHER_OPS = ['=', '!=', '=~'] as const;

/** The numeric parts of an RRULE and their RFC 5545 ranges; signed ones count from the end too. */
const RRULE_NUMBER_PARTS: Record<
  string,
  { min: number; max: number; signed?: boolean; description: string }
> = {
  COUNT: { min: 1, max: Infinity, description: 'a positive integer' },
  INTERVAL: { min: 1, max: Infinity, description: 'a positive integer' },
  BYSETPOS: { min: 1, max: 366, signed: true, description: '±1 to ±366' },
  BYMONTH: { min: 1, max: 12, description: '1 to 12' },
  BYMONTHDAY: { min: 1, max: 31, signed: true, description: '±1 to ±31' },
  BYYEARDAY: { min: 1, max: 366, signed: true, description: '±1 to ±366' },
  BYWEEKNO: { min: 1, max: 53, signed: true, description: '±1 to ±53' },
  BYHOUR: { min: 0, max: 23, description: '0 to 23' },
  BYMINUTE: { min: 0, max: 59, description: '0 to 59' },
  BYSECOND: { min: 0, max: 59, description: '0 to 59' },
};
const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Checks a silence from an API request and returns it normalised (timestamps in UTC
 * `toISOString` form, `rrule` upper case without its `RRULE:` prefix, comment trimmed). Throws an
 * `InputError` naming the first field that is wrong.
 */
export function validateSilenceSpec(body: unknown): SilenceSpec {
  if (!isRecord(body)) throw new InputError('silence must be an object');
  const matchers = validateMatchers(body.matchers);
  const startsAt = validateTimestamp(body.startsAt, 'startsAt');
  const endsAt = validateTimestamp(body.endsAt, 'endsAt');
  const durationMs = Date.parse(endsAt) - Date.parse(startsAt);
  if (durationMs <= 0) throw new InputError('endsAt must be after startsAt');
  if (durationMs > MAX_SILENCE_DURATION_MS) {
    throw new InputError(
      `endsAt must be at most ${
        MAX_SILENCE_DURATION_MS / 86_400_000
      } days after startsAt`,
    );
  }
  const rrule = validateRrule(body.rrule, startsAt);
  const comment = validateComment(body.comment);
  return { matchers, startsAt, endsAt, ...(rrule ? { rrule } : {}), comment };
}

/**
 * The windows of `silence` that overlap `[from, to)` (epoch ms), in order, cut off where it
 * was expired.
 */
export function silenceWindows(
  silence: StoredSilence,
  from: number,
  to: number,
): SilenceWindow[] {
  const startsAt = Date.parse(silence.startsAt);
  const durationMs = Date.parse(silence.endsAt) - startsAt;
  const cutAt = silence.expiredAt ? Date.parse(silence.expiredAt) : Infinity;
  const until = Math.min(to, cutAt);
  if (until <= from) return [];
  const starts = silence.rrule
    ? ruleOf(silence.rrule, startsAt)
        // Exclusive bounds: an occurrence starting at `from - duration` ends exactly at `from`.
        .between(new Date(from - durationMs), new Date(until))
        .map(date => date.getTime())
        // rrule.js yields a day's times in the order BY… parts list them (`BYMINUTE=1,0`),
        // and once per repeated value (`BYSECOND=0,0`).
        .sort((a, b) => a - b)
        .filter((start, i, all) => i === 0 || start !== all[i - 1])
    : [startsAt].filter(s => s < until && s + durationMs > from);
  return starts.map(start => ({
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(Math.min(start + durationMs, cutAt)).toISOString(),
  }));
}

/** The core's view of a stored silence: its windows overlapping `[from, to)` (epoch ms). */
export function toCoreSilence(
  silence: StoredSilence,
  from: number,
  to: number,
): CoreSilence {
  return {
    id: silence.id,
    matchers: silence.matchers,
    windows: silenceWindows(silence, from, to),
    comment: silence.comment,
  };
}

/**
 * When the last occurrence of a (validated) silence ends; undefined when its rule has
 * neither COUNT nor UNTIL and so recurs forever.
 */
export function lastEnd(spec: SilenceSpec): string | undefined {
  if (!spec.rrule) return spec.endsAt;
  const startsAt = Date.parse(spec.startsAt);
  const rule = ruleOf(spec.rrule, startsAt);
  if (rule.options.count === null && rule.options.until === null)
    return undefined;
  // The latest, not the last yielded: rrule.js keeps the order BY… parts list times in.
  const lastStart = Math.max(
    startsAt,
    ...rule.all().map(date => date.getTime()),
  );
  return new Date(lastStart + Date.parse(spec.endsAt) - startsAt).toISOString();
}

function ruleOf(rrule: string, startsAt: number): RRule {
  return new RRule({ ...parseRrule(rrule), dtstart: new Date(startsAt) });
}

function parseRrule(rrule: string): Partial<Options> {
  return RRule.parseString(rrule.trim().replace(/^RRULE:/i, ''));
}

function validateMatchers(value: unknown): SilenceMatcher[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError('matchers must be an array of at least one matcher');
  }
  const matchers = value.map(validateMatcher);
  // Like Alertmanager: a silence whose every matcher also matches an absent label would mute
  // nearly everything.
  if (matchers.every(matchesEmptyValue)) {
    throw new InputError(
      'matchers must include one that does not match an empty value',
    );
  }
  return matchers;
}

function validateMatcher(value: unknown, index: number): SilenceMatcher {
  const field = `matchers[${index}]`;
  if (!isRecord(value)) throw new InputError(`${field} must be an object`);
  const { name, value: matchValue, op = '=' } = value;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InputError(`${field}.name must be a non-empty string`);
  }
  if (typeof matchValue !== 'string') {
    throw new InputError(`${field}.value must be a string`);
  }
  if (!isMatcherOp(op)) {
    throw new InputError(
      `${field}.op must be one of ${MATCHER_OPS.join(', ')}`,
    );
  }
  if (op === '=~') {
    const risk = backtrackingRisk(matchValue);
    if (risk) throw new InputError(`${field}.value ${risk}`);
    try {
      anchoredPattern(matchValue);
    } catch (error) {
      throw new InputError(
        `${field}.value must be a valid regular expression: ${
          (error as Error).message
        }`,
      );
    }
  }
  return { name, value: matchValue, op };
}

function isMatcherOp(op: unknown): op is (typeof MATCHER_OPS)[number] {
  return (MATCHER_OPS as readonly unknown[]).includes(op);
}

export const MAX_PATTERN_LENGTH = 256;

/**
 * Why a `=~` pattern could make matching take exponential time, or undefined. Patterns run
 * against every alert on every replica, on the event loop, so the forms that backtrack
 * catastrophically are refused outright: a repeated group that itself repeats or alternates
 * (`(a+)+`, `(a|aa)*`) and backreferences. Conservative on purpose; label matchers rarely
 * need more than `a|b` or `.*-prod`.
 */
export function backtrackingRisk(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'must not use backreferences';
  // One flag per open group: does it contain a repetition or an alternation?
  const risky: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') {
      // Skip a character class: quantifiers and bars inside it are literal.
      i++;
      while (i < pattern.length && pattern[i] !== ']')
        i += pattern[i] === '\\' ? 2 : 1;
      continue;
    }
    if (ch === '(') {
      risky.push(false);
    } else if (ch === ')') {
      const inner = risky.pop() ?? false;
      // A group made optional once (`(eu|us)?`) is harmless.
      const quantified = /[*+{]/.test(pattern[i + 1] ?? '');
      if (quantified && inner) {
        return 'must not repeat a group that itself repeats or alternates, such as (a+)+ or (a|b)*';
      }
      if (risky.length > 0 && (inner || quantified))
        risky[risky.length - 1] = true;
    } else if (
      '*+{|?'.includes(ch) &&
      risky.length > 0 &&
      // `(?:`, `(?=` and the like open a group; that `?` repeats nothing.
      pattern[i - 1] !== '('
    ) {
      risky[risky.length - 1] = true;
    }
  }
  return undefined;
}

function matchesEmptyValue(matcher: SilenceMatcher): boolean {
  switch (matcher.op) {
    case '!=':
      return matcher.value !== '';
    case '=~':
      return anchoredPattern(matcher.value).test('');
    default:
      return matcher.value === '';
  }
}

function validateTimestamp(value: unknown, field: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (
    typeof value !== 'string' ||
    !ISO_TIMESTAMP.test(value) ||
    Number.isNaN(ms)
  ) {
    throw new InputError(
      `${field} must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-28T02:00:00Z`,
    );
  }
  return new Date(ms).toISOString();
}

function validateRrule(value: unknown, startsAt: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new InputError('rrule must be a string');
  const rrule = withSortedNumberLists(
    value
      .trim()
      .replace(/^RRULE:/i, '')
      .toUpperCase(),
  );
  if (/[\r\n]/.test(rrule)) {
    throw new InputError('rrule must be a single RRULE, without other lines');
  }
  let options: Partial<Options>;
  try {
    options = parseRrule(rrule);
  } catch (error) {
    throw new InputError(`rrule is invalid: ${(error as Error).message}`);
  }
  if (options.dtstart || options.tzid) {
    throw new InputError(
      'rrule must not set DTSTART or TZID: startsAt is the start, in UTC',
    );
  }
  if (options.freq === undefined || Frequency[options.freq] === undefined) {
    throw new InputError(
      'rrule must set FREQ to YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY',
    );
  }
  // Finer rules would expand to more windows than silences are meant for.
  if (options.freq > Frequency.HOURLY) {
    throw new InputError('rrule FREQ must be HOURLY or coarser');
  }
  validateRruleParts(options);
  refuseImpossibleDays(options);
  if (options.count && options.until) {
    throw new InputError('rrule must not set both COUNT and UNTIL');
  }

  const start = Date.parse(startsAt);
  const horizon = start + OCCURRENCE_HORIZON_MS;
  let rule: RRule;
  let first: Date | null;
  try {
    // Every walk stops at the horizon (see OCCURRENCE_HORIZON_MS).
    rule = new RRule({
      ...options,
      dtstart: new Date(start),
      until: new Date(Math.min(options.until?.getTime() ?? horizon, horizon)),
    });
    first = rule.after(new Date(start), true);
  } catch (error) {
    throw new InputError(`rrule is invalid: ${(error as Error).message}`);
  }
  // RFC 5545 leaves a DTSTART that is not an occurrence undefined; requiring it keeps the
  // first window exactly startsAt–endsAt.
  if (first?.getTime() !== start) {
    let message = `rrule has no occurrence within ${HORIZON_YEARS} years at or after startsAt`;
    if (options.until && options.until.getTime() < start)
      message = 'rrule has no occurrence at or after startsAt';
    else if (first)
      message = `startsAt must be the first occurrence of rrule (the next one is ${first.toISOString()})`;
    throw new InputError(message);
  }
  if (!options.count && !options.until) return rrule;
  const occurrences = rule.all((_, i) => i <= MAX_SILENCE_OCCURRENCES).length;
  if (occurrences > MAX_SILENCE_OCCURRENCES) {
    throw new InputError(
      `rrule must have at most ${MAX_SILENCE_OCCURRENCES} occurrences; leave out COUNT and UNTIL to recur forever`,
    );
  }
  // What lies beyond the horizon was not walked: a rule must end within it.
  const ends =
    (options.count && occurrences >= options.count) ||
    (options.until && options.until.getTime() <= horizon);
  if (!ends) {
    throw new InputError(
      `rrule's occurrences must end within ${HORIZON_YEARS} years of startsAt; leave out COUNT and UNTIL to recur forever`,
    );
  }
  return rrule;
}

/** Parts whose value is a list of numbers, a set in RFC 5545. */
const NUMBER_LIST_PARTS = new Set(
  Object.keys(RRULE_NUMBER_PARTS).filter(
    part => part !== 'COUNT' && part !== 'INTERVAL',
  ),
);

/**
 * `BYMINUTE=30,0,0` as `BYMINUTE=0,30`. The lists are sets, but rrule.js yields a day's times
 * in the order they are listed and once per repeat, so its `after`, `COUNT` and windows went
 * out of order or doubled (found by silenceSchedule.fuzz.test.ts). Other parts are kept as
 * given, for validation to judge.
 */
function withSortedNumberLists(rrule: string): string {
  return rrule
    .split(';')
    .map(part => {
      const eq = part.indexOf('=');
      const name = part.slice(0, eq);
      const items = part.slice(eq + 1).split(',');
      if (eq < 0 || !NUMBER_LIST_PARTS.has(name)) return part;
      if (!items.every(item => /^[+-]?\d{1,4}$/.test(item))) return part;
      const sorted = [...new Set(items.map(Number))].sort((a, b) => a - b);
      return `${name}=${sorted.join(',')}`;
    })
    .join(';');
}

/** The most days each month can have (February in a leap year). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A rule whose month days no listed month has (`BYMONTH=2;BYMONTHDAY=30`) never occurs, and
 * rrule.js walks every period to the year 9999 looking for it: seconds to minutes of a blocked
 * event loop. Refused before any walk.
 */
function refuseImpossibleDays(options: Partial<Options>) {
  const days = [options.bymonthday ?? []].flat();
  if (days.length === 0) return;
  const months = [options.bymonth ?? []].flat();
  const lengths = (months.length ? months : [1]).map(m => DAYS_IN_MONTH[m - 1]);
  const longest = Math.max(...lengths);
  if (days.every(day => Math.abs(day) > longest)) {
    throw new InputError(
      `rrule BYMONTHDAY ${days.join(',')} never falls in ${
        months.length ? `BYMONTH ${months.join(',')}` : 'any month'
      }`,
    );
  }
}

/** rrule.js takes unknown days and out-of-range numbers as given, and then never matches. */
function validateRruleParts(options: Partial<Options>) {
  if ('wkst' in options && !options.wkst) {
    throw new InputError(
      'rrule WKST must be a day: MO, TU, WE, TH, FR, SA or SU',
    );
  }
  if ([options.byweekday ?? []].flat().some(day => !day)) {
    throw new InputError('rrule BYDAY must list days like MO,TU or 1SA,-1SU');
  }
  for (const [part, range] of Object.entries(RRULE_NUMBER_PARTS)) {
    const value = options[part.toLowerCase() as keyof Options];
    if (value === undefined || value === null) continue;
    const inRange = (n: unknown) => {
      if (typeof n !== 'number' || !Number.isInteger(n)) return false;
      const magnitude = range.signed ? Math.abs(n) : n;
      return range.min <= magnitude && magnitude <= range.max;
    };
    if (![value].flat().every(inRange)) {
      throw new InputError(`rrule ${part} must be ${range.description}`);
    }
  }
}

function validateComment(value: unknown): string {
  const comment = typeof value === 'string' ? value.trim() : '';
  if (!comment) throw new InputError('comment must be a non-empty string');
  if (comment.length > MAX_SILENCE_COMMENT_LENGTH) {
    throw new InputError(
      `comment must be at most ${MAX_SILENCE_COMMENT_LENGTH} characters`,
    );
  }
  return comment;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
