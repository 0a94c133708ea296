import type { NarrativeFacts } from '../facts';
import { checkGrounding, type GroundingContext } from '../grounding';
import type { IncidentNarrative, NarrativeDraft } from '../types';
import { evidenceOf } from './evidence';
import { impactOf } from './impact';
import { probableCauseOf } from './probableCause';
import { suggestedActionsOf } from './suggestedActions';
import { summaryOf } from './summary';
import { whatChangedOf } from './whatChanged';

/** The template's text: a pure function of the facts, with no clock and no randomness. */
export function templateDraft(facts: NarrativeFacts): NarrativeDraft {
  return {
    summary: summaryOf(facts),
    impact: impactOf(facts),
    probableCause: probableCauseOf(facts),
    evidence: evidenceOf(facts),
    whatChanged: whatChangedOf(facts),
    suggestedActions: suggestedActionsOf(facts),
  };
}

/**
 * The template narrative: always available, deterministic, and checked like a model's would
 * be, so that a template the facts do not support shows as such instead of passing unread.
 */
export function narrate(
  facts: NarrativeFacts,
  context?: GroundingContext,
): IncidentNarrative {
  const draft = templateDraft(facts);
  return {
    ...draft,
    generatedBy: 'template',
    grounding: checkGrounding(draft, facts, context),
  };
}
