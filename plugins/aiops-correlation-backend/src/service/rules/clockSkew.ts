import type { Finding } from '@aiops/plugin-aiops-common';
import type { CorrelatedAlert, TrackedAlert } from '../types';
import { toIso, toMs } from '../time';

/**
 * Version 1 of correlation's clock policy. Correlation runs on event time: an alert is
 * correlated at its arrival (`lastSeenAt`), and its onset is the sender's `startsAt` — what the
 * sender saw, however long ago. A `startsAt` after the arrival can only be the sender's clock
 * running ahead: it is tolerated and recorded, and the onset is taken as the arrival, so no
 * group waits for the wall clock to catch up with a sender's (`open-gate`'s `minDuration`,
 * grouping windows and the ranking's onset all read the onset).
 */
export const CLOCK_SKEW_RULE = 'clock-skew@1';

/** Skews below this are ordinary jitter between hosts and not worth a finding. */
export const REPORTED_SKEW_MS = 60_000;

export interface SenderOnset {
  /** Epoch ms the alert is taken to have started. */
  onsetAt: number;
  /** How far the sender's `startsAt` lay after the arrival; absent when it did not. */
  skewMs?: number;
}

export function senderOnset(startsAt: string, arrivalMs: number): SenderOnset {
  const started = toMs(startsAt);
  return started > arrivalMs
    ? { onsetAt: arrivalMs, skewMs: started - arrivalMs }
    : { onsetAt: started };
}

/** The alert as the rules read it: a future `startsAt` is replaced by the onset. */
export function withOnset(
  alert: CorrelatedAlert,
  onset: SenderOnset,
): CorrelatedAlert {
  return onset.skewMs === undefined
    ? alert
    : { ...alert, startsAt: toIso(onset.onsetAt) };
}

/** A finding per alert whose sender's clock ran ahead by more than `REPORTED_SKEW_MS`. */
export function clockSkewFindings(
  tracked: TrackedAlert[],
): Array<{ key: string; finding: Finding }> {
  return tracked
    .filter(t => (t.clockSkewMs ?? 0) > REPORTED_SKEW_MS)
    .map(t => ({
      key: `clock-skew:${t.alert.id}`,
      finding: {
        rule: CLOCK_SKEW_RULE,
        summary: `The sender of ${t.alert.title} stamps times ${Math.round(
          t.clockSkewMs! / 1000,
        )} s in the future (its clock runs ahead); its onset is taken as its arrival`,
        evidence: [{ kind: 'alert' as const, id: t.alert.id }],
        confidence: 0.9,
      },
    }));
}
