import { createHash } from 'node:crypto';
import { toIso } from './time';

/**
 * The deterministic key of an incident: the rule that opened it, its grouping anchor (the
 * group key of the first alert) and the onset of that alert. Replaying the same alerts gives
 * the same key, so a store can make incident creation idempotent with a unique constraint.
 * The key is fixed when the incident opens; later alerts (even a new root) do not change it.
 */
export function correlationKey(
  rule: string,
  anchor: string,
  onsetAt: number,
): string {
  return `${rule}|${anchor}|${toIso(onsetAt)}`;
}

/** A short stable incident id derived from the correlation key. */
export function incidentIdFor(key: string): string {
  return `inc-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}
