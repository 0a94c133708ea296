import {
  scanMentions,
  type NarrativeDraft,
  type NarrativeFacts,
} from '@aiops/plugin-aiops-node';
import type { GroundingResult, RejectedClaim } from '../types';
import { narrativeBounds } from './bounds';
import { citedEvidence } from './citations';
import { knownDurations } from './durations';
import { knownEntities } from './entities';
import { knownIdentifiers } from './identifiers';
import { noInstructions } from './instructions';
import { noForeignLinks } from './links';
import { knownNumbers } from './numbers';
import type { GroundingRule, TextPiece } from './rule';
import { knownTimes } from './times';
import { knownVersions } from './versions';
import {
  buildVocabulary,
  type GroundingContext,
  type Vocabulary,
} from './vocabulary';

export type { GroundingContext, KnownEntity, Vocabulary } from './vocabulary';
export { buildVocabulary } from './vocabulary';

/** The rules in the order their problems are listed. */
export const GROUNDING_RULES: GroundingRule[] = [
  narrativeBounds,
  citedEvidence,
  knownEntities,
  knownIdentifiers,
  knownVersions,
  knownNumbers,
  knownDurations,
  knownTimes,
  noForeignLinks,
  noInstructions,
];

export const GROUNDING_RULE_VERSIONS = GROUNDING_RULES.map(r => r.id).sort();

function piecesOf(draft: NarrativeDraft): Array<Omit<TextPiece, 'mentions'>> {
  return [
    { section: 'summary', text: draft.summary },
    { section: 'impact', text: draft.impact },
    { section: 'probableCause', text: draft.probableCause },
    ...draft.evidence.map((c, index) => ({
      section: 'evidence' as const,
      index,
      text: c.claim,
      evidenceIds: c.evidenceIds,
    })),
    ...draft.whatChanged.map((text, index) => ({
      section: 'whatChanged' as const,
      index,
      text,
    })),
    ...draft.suggestedActions.map((text, index) => ({
      section: 'suggestedActions' as const,
      index,
      text,
    })),
  ];
}

/** The grounding check against a vocabulary built once (many drafts of one incident). */
export function checkAgainst(
  draft: NarrativeDraft,
  vocabulary: Vocabulary,
): GroundingResult {
  const rejected: RejectedClaim[] = [];
  for (const piece of piecesOf(draft)) {
    const text = typeof piece.text === 'string' ? piece.text : '';
    const scanned: TextPiece = { ...piece, text, mentions: scanMentions(text) };
    const problems = GROUNDING_RULES.flatMap(rule =>
      rule
        .check(scanned, vocabulary)
        .map(message => ({ rule: rule.id, message })),
    );
    if (problems.length > 0)
      rejected.push({
        section: piece.section,
        ...(piece.index !== undefined && { index: piece.index }),
        text,
        problems,
      });
  }
  return {
    passed: rejected.length === 0,
    rejected,
    rules: GROUNDING_RULE_VERSIONS,
  };
}

/**
 * Whether a narrative says only what the facts support: every claim cites evidence that exists;
 * every entity, identifier, version, number, duration and time it states occurs in the facts;
 * no foreign links and no instruction-like text. Pure; the verdict lists each rejected piece
 * with its problems, for the audit trail.
 */
export function checkGrounding(
  draft: NarrativeDraft,
  facts: NarrativeFacts,
  context?: GroundingContext,
): GroundingResult {
  return checkAgainst(draft, buildVocabulary(facts, context));
}
