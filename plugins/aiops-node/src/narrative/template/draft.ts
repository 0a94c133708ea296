import type { NarrativeFacts } from '../facts';
import type { NarrativeDraft } from '../types';
import { evidenceOf } from './evidence';
import { impactOf } from './impact';
import { probableCauseOf } from './probableCause';
import { suggestedActionsOf } from './suggestedActions';
import { summaryOf } from './summary';
import { whatChangedOf } from './whatChanged';

/**
 * The template's text: a pure function of the facts, with no clock and no randomness. The
 * narrator checks it like a model's; correlation sends it in the first notification.
 */
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
