import { buildNarrativeFacts, scanMentions } from '@aiops/plugin-aiops-node';
import {
  CART_KNOWN_ENTITIES,
  cartFactsInput,
} from '@aiops/plugin-aiops-node/testUtils';
import { buildVocabulary, type Vocabulary } from '../grounding';
import type { GroundingRule } from '../grounding/rule';

/** The vocabulary of the cart incident, with its catalog as the known entities. */
export function cartVocabulary(): Vocabulary {
  return buildVocabulary(buildNarrativeFacts(cartFactsInput()), {
    knownEntities: CART_KNOWN_ENTITIES,
  });
}

/** One rule's problems with `text`, as a section's text or, with `evidenceIds`, a claim. */
export function problemsOf(
  rule: GroundingRule,
  text: string,
  evidenceIds?: string[],
  vocabulary: Vocabulary = cartVocabulary(),
): string[] {
  return rule.check(
    {
      section: evidenceIds ? 'evidence' : 'summary',
      ...(evidenceIds && { index: 0 }),
      text,
      mentions: scanMentions(text),
      evidenceIds,
    },
    vocabulary,
  );
}
