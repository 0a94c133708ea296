import { InputError } from '@backstage/errors';

/** Epoch milliseconds of an ISO-8601 timestamp; a bad timestamp is the sender's error. */
export function toMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InputError(`Invalid timestamp "${iso}"`);
  return ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
