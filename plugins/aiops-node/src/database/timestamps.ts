import { InputError } from '@backstage/errors';

/*
 * Timestamps as the stores read and write them. Both databases the suite runs on hand back a
 * timestamp column differently (PostgreSQL a `Date`, SQLite the stored text), and SQLite
 * compares timestamps as text, so values go in and come out as canonical ISO 8601 strings.
 */

/** A timestamp as either database returns it, or as a caller gave it. */
export function toDate(value: unknown): Date {
  const date = new Date(value as string | Date);
  if (Number.isNaN(date.getTime()))
    throw new InputError(`Invalid timestamp "${String(value)}"`);
  return date;
}

/** The canonical ISO 8601 string of a timestamp; `InputError` when it is none. */
export function iso(value: unknown): string {
  return toDate(value).toISOString();
}

/** `iso` of a nullable column. */
export function optionalIso(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : iso(value);
}
