import { InputError } from '@backstage/errors';

/**
 * Parsed timestamps: correlation reads the same alert times again on every refresh of an
 * incident, and parsing costs more than a lookup. Bounded by starting over.
 */
const parsed = new Map<string, number>();
const MAX_PARSED = 100_000;

/** Epoch milliseconds of an ISO-8601 timestamp; a bad timestamp is the sender's error. */
export function toMs(iso: string): number {
  const known = parsed.get(iso);
  if (known !== undefined) return known;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InputError(`Invalid timestamp "${iso}"`);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(iso, ms);
  return ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
