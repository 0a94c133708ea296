import type { Silence, SilenceMatcherSpec } from '@aiops/plugin-aiops-common';

/** `alertname =~ Ledger.*` */
export function formatMatcher(matcher: SilenceMatcherSpec): string {
  return `${matcher.name} ${matcher.op ?? '='} ${matcher.value}`;
}

/** `2026-11-29 02:00 UTC`: silences are evaluated in UTC, so they are shown in UTC. */
export function formatUtc(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export type SilenceState = 'active' | 'upcoming' | 'ended' | 'expired';

/**
 * `expired`: someone ended it; `ended`: its last window is over; `upcoming`: its first window
 * is still to come; `active`: in a window now, or between windows of a recurring one.
 */
export function silenceState(silence: Silence, now = Date.now()): SilenceState {
  if (silence.expiredAt) return 'expired';
  if (silence.expiresAt && Date.parse(silence.expiresAt) <= now) return 'ended';
  if (!silence.rrule && Date.parse(silence.endsAt) <= now) return 'ended';
  if (Date.parse(silence.startsAt) > now) return 'upcoming';
  return 'active';
}
