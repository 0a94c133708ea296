import { clock, list } from '../format';
import type { NarrativeFacts } from '../facts';
import { label, plain } from './names';

const MAX_REASONS = 4;

/** The top root-cause candidate with correlation's reasons, then the runners-up. */
export function probableCauseOf(facts: NarrativeFacts): string {
  const { rootCause } = facts;
  if (!rootCause) {
    const first = facts.entities.find(e => e.firstAlertAt);
    return first?.firstAlertAt
      ? `No root cause is ranked yet; the first alert came from ${
          first.label
        } at ${clock(first.firstAlertAt)}.`
      : 'No root cause is ranked yet.';
  }
  const reasons = rootCause.reasons
    .map(plain)
    .filter((r): r is string => !!r)
    .slice(0, MAX_REASONS);
  const sentences = [
    `${label(facts, rootCause.entityRef)} is the most likely cause (score ${
      rootCause.score
    })${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}.`,
  ];
  if (facts.otherCandidates.length > 0)
    sentences.push(
      `Less likely: ${list(
        facts.otherCandidates.map(
          c => `${label(facts, c.entityRef)} (score ${c.score})`,
        ),
      )}.`,
    );
  return sentences.join(' ');
}
