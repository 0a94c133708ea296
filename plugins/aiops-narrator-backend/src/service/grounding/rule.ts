import type { Mention, NarrativeSection } from '@aiops/plugin-aiops-node';
import type { Vocabulary } from './vocabulary';

/** One piece of a narrative as the rules see it: a section's text or one evidence claim. */
export interface TextPiece {
  section: NarrativeSection;
  index?: number;
  text: string;
  mentions: Mention[];
  /** Only evidence claims cite; undefined for the other sections. */
  evidenceIds?: string[];
}

/**
 * A grounding rule: a pure check of one piece against the facts' vocabulary, answering what is
 * wrong with it in words (empty when nothing is). `id` carries the rule's version: a change of
 * what a rule accepts is a new version, stored with every verdict.
 */
export interface GroundingRule {
  id: string;
  check(piece: TextPiece, vocabulary: Vocabulary): string[];
}

/** Offending text quoted in a message, cut so that a message stays short. */
export function quote(text: string): string {
  return `"${text.length > 80 ? `${text.slice(0, 80)}…` : text}"`;
}
