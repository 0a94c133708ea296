import type {
  IncidentStatus,
  ResolutionInput,
  RootCauseCandidate,
  Severity,
} from '@aiops/plugin-aiops-common';
import { truncate } from './routing/truncate';
import type { CorrelationDecision, Suppression } from './types';

/*
 * What an incident's timeline says, in one place: the sentences of the entries the store
 * records for correlation's decisions and for people's actions. An on-call engineer reads them
 * in order, so each names what changed and the rule (or person) that changed it.
 */

type Decision<T extends CorrelationDecision['type']> = Extract<
  CorrelationDecision,
  { type: T }
>;

/** ` (rule)` after a sentence, when there is a rule. */
const byRule = (rule: string) => (rule ? ` (${rule})` : '');

export function openedSummary(title: string, rule: string): string {
  return `Incident opened: ${title}${byRule(rule)}`;
}

export function joinedSummary(
  decision: Pick<Decision<'attach-alert'>, 'alertId' | 'reason' | 'rule'>,
): string {
  return `Alert ${decision.alertId} joined: ${
    decision.reason || 'no reason given'
  }${byRule(decision.rule)}`;
}

export function suppressedSummary(
  alertId: string,
  suppression: Suppression,
): string {
  const by =
    'alertId' in suppression.by
      ? `alert ${suppression.by.alertId}`
      : `silence ${suppression.by.silenceId}`;
  return `Alert ${alertId} suppressed (${suppression.reason}) by ${by} (${suppression.rule})`;
}

export function unsuppressedSummary(alertId: string): string {
  return `Alert ${alertId} is no longer suppressed`;
}

/** The entries of a move: on the incident the alert left, and on the one it joined. */
export function movedSummaries(
  decision: Pick<Decision<'move-alert'>, 'alertId' | 'reason' | 'rule'>,
  from: string,
  to: string,
): { left: string; joined: string } {
  const why = `${decision.reason} (${decision.rule})`;
  return {
    left: `Alert ${decision.alertId} moved to incident ${to}: ${why}`,
    joined: `Alert ${decision.alertId} moved here from incident ${from}: ${why}`,
  };
}

/** The entries of an incident resolved because every alert moved to another one. */
export function mergedByMovesSummaries(
  source: string,
  target: string,
  rule: string,
): { source: string; target: string } {
  return {
    source: `Merged into incident ${target}: every alert moved there (${rule})`,
    target: `Incident ${source} merged in: all its alerts moved here (${rule})`,
  };
}

export function rankingSummary(candidates: RootCauseCandidate[]): string {
  return candidates.length
    ? `Root causes ranked: ${candidates
        .map(c => `${c.entityRef} (${c.score})`)
        .join(', ')}`
    : 'No root cause candidates';
}

export function autoResolvedSummary(rule: string): string {
  return `Incident resolved automatically (${rule})`;
}

export function reopenedByAlertSummary(alertId: string, rule: string): string {
  return `Incident reopened: alert ${alertId} fired again (${rule})`;
}

export function severityRaisedSummary(from: Severity, to: Severity): string {
  return `Severity raised from ${from} to ${to}`;
}

const BY_PERSON: Record<Exclude<IncidentStatus, 'open'> | 'reopened', string> =
  {
    acknowledged: 'Acknowledged',
    resolved: 'Resolved',
    reopened: 'Reopened',
  };

/** A person acknowledged, resolved or reopened the incident. */
export function changedByPersonSummary(
  change: keyof typeof BY_PERSON,
  actor: string,
): string {
  return `${BY_PERSON[change]} by ${actor}`;
}

/** How much of a resolution note and link a timeline entry repeats. */
const RESOLUTION_EXCERPT = 280;

/** What a person recorded about the fix, briefly: `: <note> (postmortem: <link>)`. */
function resolutionExcerpt(resolution: ResolutionInput = {}): string {
  const { note, postmortemUrl } = resolution;
  const parts = [
    note && `: ${truncate(note, RESOLUTION_EXCERPT)}`,
    postmortemUrl &&
      ` (postmortem: ${truncate(postmortemUrl, RESOLUTION_EXCERPT)})`,
  ];
  return parts.filter(Boolean).join('');
}

/** A person resolved the incident, saying what fixed it if they did. */
export function resolvedByPersonSummary(
  actor: string,
  resolution?: ResolutionInput,
): string {
  return `${changedByPersonSummary('resolved', actor)}${resolutionExcerpt(
    resolution,
  )}`;
}

/** A person replaced what a resolved incident's resolution says. */
export function resolutionReplacedSummary(
  actor: string,
  resolution: ResolutionInput,
): string {
  const excerpt = resolutionExcerpt(resolution);
  return excerpt
    ? `Resolution updated by ${actor}${excerpt}`
    : `Resolution cleared by ${actor}`;
}

/** The entries of a person's merge: on the source, and on the target. */
export function mergedByPersonSummaries(
  source: string,
  target: string,
  actor: string,
): { source: string; target: string } {
  return {
    source: `Merged into incident ${target} by ${actor}`,
    target: `Incident ${source} merged in by ${actor}`,
  };
}
