import type { NarrativeSection } from '@aiops/plugin-aiops-node';
import type { GroundingRule } from './rule';

export const NARRATIVE_BOUNDS_RULE = 'narrative-bounds@1';

/**
 * How much a narrative may say. Longer texts are not scanned past `MAX_SCANNED`, so they must
 * fail here rather than pass unread; the counts keep a runaway model from burying the page.
 */
export const NARRATIVE_LIMITS = {
  textLength: 2_000,
  items: {
    evidence: 30,
    whatChanged: 20,
    suggestedActions: 10,
  } as Partial<Record<NarrativeSection, number>>,
};

export const narrativeBounds: GroundingRule = {
  id: NARRATIVE_BOUNDS_RULE,
  check({ section, index, text }) {
    const problems: string[] = [];
    if (text.trim().length === 0) problems.push('is empty');
    if (text.length > NARRATIVE_LIMITS.textLength)
      problems.push(
        `is longer than ${NARRATIVE_LIMITS.textLength} characters (${text.length})`,
      );
    const most = NARRATIVE_LIMITS.items[section];
    if (index !== undefined && most !== undefined && index >= most)
      problems.push(`is item ${index + 1} of ${section}, which allows ${most}`);
    return problems;
  },
};
