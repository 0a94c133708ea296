import type { Finding, RootCauseCandidate } from '@aiops/plugin-aiops-common';

/*
 * What is news on an incident's timeline. The incident is refreshed on every alert and tick, and
 * its ranking and findings are recomputed each time; most recomputations only move numbers
 * (scores, alert counts). An on-call engineer reads the timeline to see what changed in the
 * story, so a new entry is recorded only when the story changed. The current numbers are always
 * on the incident itself (its candidates and findings), so nothing is lost by not repeating
 * them. Updating the last entry in place instead would give an old timestamp to a newer
 * statement, and the timeline would no longer say what was known when.
 */

/** True when the candidates' order (their entity refs) differs; scores alone are not news. */
export function rankingOrderChanged(
  before: RootCauseCandidate[] | undefined,
  after: RootCauseCandidate[],
): boolean {
  if (!before || before.length !== after.length) return true;
  return before.some(
    (candidate, i) => candidate.entityRef !== after[i].entityRef,
  );
}

/**
 * True when a finding says something the stored finding under its key did not: a new rule,
 * different words once numbers are set aside (`12 alerts on 3 related entities grouped
 * around cart` is `13 alerts…` with one more alert), or different non-alert evidence (an
 * entity, deployment, edge or regression joining or leaving). Alerts joining or being
 * suppressed have timeline entries of their own, so alert evidence is not compared.
 */
export function findingIsNews(
  before: Finding | undefined,
  after: Finding,
): boolean {
  if (!before) return true;
  return (
    before.rule !== after.rule ||
    withoutNumbers(before.summary) !== withoutNumbers(after.summary) ||
    subjects(before) !== subjects(after)
  );
}

/** The text with each run of digits as `#`; a character scan, so no pattern runs on it. */
function withoutNumbers(text: string): string {
  let result = '';
  for (let i = 0; i < text.length; i++) {
    const digit = text[i] >= '0' && text[i] <= '9';
    if (!digit) result += text[i];
    else if (!(text[i - 1] >= '0' && text[i - 1] <= '9')) result += '#';
  }
  return result;
}

function subjects(finding: Finding): string {
  return finding.evidence
    .filter(e => e.kind !== 'alert')
    .map(e => `${e.kind}:${e.id}`)
    .sort()
    .join('\n');
}
