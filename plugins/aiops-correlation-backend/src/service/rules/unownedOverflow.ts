import type { TrackedAlert } from '../types';

/**
 * Version 1: unowned noise is bounded by design ([K] #3). Unowned alerts of one kind already
 * share an incident (`group-key`); a sender that invents a new alert name per alert (a fuzzer, a
 * misconfigured exporter) would still open one incident each, and each pages the fallback
 * group. Once `maxOpenIncidents` unowned incidents are open, a new kind of unowned alert joins
 * the one overflow incident of its source instead of opening another.
 */
export const UNOWNED_OVERFLOW_RULE = 'unowned-overflow@1';

/** The group key every overflowing unowned alert of `source` shares. */
export function overflowGroupKey(alert: TrackedAlert): string {
  return `unowned-overflow:${JSON.stringify(alert.alert.source)}`;
}

/** Whether a new unowned group would go over the bound. */
export function overflows(
  alert: TrackedAlert,
  openUnowned: number,
  maxOpenIncidents: number,
): boolean {
  return !alert.entityRef && openUnowned >= maxOpenIncidents;
}
