/*
 * Reads a text into the things a grounding rule checks: links, entity refs, times, versions,
 * durations, numbers and identifier-like tokens. One left-to-right scan with one regular
 * expression, so that "2.790.23" is a version and not three numbers, "10:03" a time and not a
 * ratio, and the digits of a URL or an entity ref are nobody's number. Every alternative is a
 * bounded repetition of a single class; texts are cut at `MAX_SCANNED` characters first.
 */

export type MentionKind =
  | 'link'
  | 'url'
  | 'domain'
  | 'ref'
  | 'datetime'
  | 'date'
  | 'clock'
  | 'version'
  | 'duration'
  | 'percent'
  | 'number'
  | 'identifier'
  | 'word';

export interface Mention {
  kind: MentionKind;
  /** As written, without trailing sentence punctuation. */
  text: string;
  index: number;
}

/** Longer texts are scanned up to here; the bounds rule rejects them anyway. */
export const MAX_SCANNED = 4_000;

const TLDS =
  'com|net|org|io|dev|app|ai|co|info|biz|xyz|example|local|internal|ru|cn|me|sh';

const SCANNER = new RegExp(
  [
    String.raw`(?<link>!?\[[^\]\n]{0,200}\]\([^)\s]{1,500}\))`,
    String.raw`(?<url>\b(?:https?|ftp|file|javascript|data|mailto|vbscript):[^\s<>"'\x60)\]]{1,500}|\bwww\.[^\s<>"'\x60)\]]{1,500})`,
    String.raw`(?<domain>\b(?:[a-z0-9-]{1,63}\.){1,5}(?:${TLDS})\b)`,
    String.raw`(?<ref>\b(?:component|resource|system|group|user|api|domain|location|template):[\w.-]{1,63}(?:\/[\w.-]{1,63})?)`,
    String.raw`(?<datetime>\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}|\sUTC)?)`,
    String.raw`(?<date>\b\d{4}-\d{2}-\d{2}\b)`,
    String.raw`(?<clock>\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?(?:UTC|GMT|Z)\b)?)`,
    String.raw`(?<version>\bv\d{1,9}(?:\.\w{1,40}){0,4}|\b\d{1,9}(?:\.\d{1,9}){2,4}(?:[-+][\w.]{1,40})?)`,
    String.raw`(?<duration>\b\d{1,9}(?:\.\d{1,3})?\s?(?:milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)\b)`,
    String.raw`(?<percent>\b\d{1,9}(?:\.\d{1,6})?\s?%)`,
    String.raw`(?<number>\b\d{1,15}(?:[.,]\d{1,15}){0,5}\b)`,
    String.raw`(?<token>\b[a-z0-9]{1,64}(?:[-_][a-z0-9]{1,64}){0,8}\b)`,
  ].join('|'),
  'gi',
);

const KINDS: MentionKind[] = [
  'link',
  'url',
  'domain',
  'ref',
  'datetime',
  'date',
  'clock',
  'version',
  'duration',
  'percent',
  'number',
];

/** Sentence punctuation a match may have taken along (a version or ref ending a sentence). */
function trimEnd(text: string): string {
  let end = text.length;
  while (end > 1 && '.,;:'.includes(text[end - 1])) end--;
  return text.slice(0, end);
}

/** `word` for letters only, `identifier` for names with `-`/`_` or letters mixed with digits. */
function tokenKind(token: string): MentionKind | undefined {
  if (/^[a-z]+$/i.test(token)) return 'word';
  if (/^\d+$/.test(token)) return 'number';
  return 'identifier';
}

export function scanMentions(text: string): Mention[] {
  const mentions: Mention[] = [];
  for (const match of text.slice(0, MAX_SCANNED).matchAll(SCANNER)) {
    const groups = match.groups ?? {};
    const kind =
      KINDS.find(k => groups[k] !== undefined) ?? tokenKind(groups.token ?? '');
    if (!kind) continue;
    mentions.push({ kind, text: trimEnd(match[0]), index: match.index ?? 0 });
  }
  return mentions;
}

const UNIT_MS: Array<[RegExp, number]> = [
  [/^(?:milliseconds?|ms)$/i, 1],
  [/^(?:seconds?|secs?|s)$/i, 1_000],
  [/^(?:minutes?|mins?|m)$/i, 60_000],
  [/^(?:hours?|hrs?|h)$/i, 3_600_000],
  [/^(?:days?|d)$/i, 86_400_000],
];

/** A duration mention as its value, unit length in ms, and the decimals it was written with. */
export function parseDuration(
  text: string,
): { value: number; unitMs: number; decimals: number } | undefined {
  const match = /^(\d{1,9})(?:\.(\d{1,3}))?\s?([a-z]{1,12})$/i.exec(text);
  if (!match) return undefined;
  const unit = UNIT_MS.find(([pattern]) => pattern.test(match[3]));
  if (!unit) return undefined;
  const decimals = match[2]?.length ?? 0;
  return {
    value: Number(`${match[1]}${match[2] ? `.${match[2]}` : ''}`),
    unitMs: unit[1],
    decimals,
  };
}

/** A number or percent mention as a number; thousands separators dropped. */
export function parseNumber(text: string): number | undefined {
  const cleaned = text.replace(/[\s%]/g, '');
  // `1,234` groups thousands; anything else with a comma is not one number.
  const value = /^\d{1,3}(?:,\d{3}){1,4}$/.test(cleaned)
    ? Number(cleaned.replace(/,/g, ''))
    : Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

/** Epoch ms of a `datetime` mention (UTC unless it says otherwise). */
export function parseDateTime(text: string): number | undefined {
  const iso = text.replace(' ', 'T').replace(/\s?UTC$/i, 'Z');
  const value = Date.parse(
    /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`,
  );
  return Number.isNaN(value) ? undefined : value;
}

/** Minutes and seconds after midnight of a `clock` mention; seconds absent when not written. */
export function parseClock(
  text: string,
): { minuteOfDay: number; second?: number } | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!match) return undefined;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (hours > 23 || minutes > 59) return undefined;
  return {
    minuteOfDay: hours * 60 + minutes,
    ...(match[3] !== undefined && { second: Number(match[3]) }),
  };
}
