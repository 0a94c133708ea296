import type { NarrativeDraft, NarrativeFacts } from '@aiops/plugin-aiops-node';
import { mapTexts } from './slots';

/*
 * Correct narratives other than the template's own words, as a model might write them from the
 * same facts: other phrasing, short units, full entity refs, ISO timestamps, fewer sentences.
 * The grounding check must accept all of them; each one it rejects is a false rejection.
 */

const REWORDINGS: Array<[string, string]> = [
  ['is the most likely cause', 'is probably what broke'],
  [
    'ranks first among the root cause candidates, with score',
    'is the top root cause candidate at score',
  ],
  ['was deployed', 'went out'],
  [' are affected', ' are impacted as well'],
  [' is affected', ' is impacted'],
  ['owned by', 'belonging to'],
  [' raised ', ' fired '],
  ['Start with', 'Look first at'],
  ['without alerting', 'but stay quiet'],
];

/** Other words for the same facts; minutes as "min", times without "UTC". */
export function reworded(draft: NarrativeDraft): NarrativeDraft {
  return mapTexts(draft, text =>
    REWORDINGS.reduce((t, [from, to]) => t.split(from).join(to), text)
      .replace(/(\d) minutes?\b/g, '$1 min')
      .replace(/(\d{2}:\d{2}) UTC/g, '$1'),
  );
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Entities named by their full ref (`component:default/cart`), once per text. */
export function withRefs(
  draft: NarrativeDraft,
  facts: NarrativeFacts,
): NarrativeDraft {
  const named = facts.entities.filter(e => e.affected && e.label === e.name);
  return mapTexts(draft, text =>
    named.reduce(
      (t, e) =>
        t.replace(
          // Not inside another name, a ref or a URL.
          new RegExp(`(?<![\\w/:-])${escape(e.name)}(?![\\w-])`),
          e.ref,
        ),
      text,
    ),
  );
}

/** A short report: the onset as an ISO timestamp, the first sentence or item of each part. */
export function terse(
  draft: NarrativeDraft,
  facts: NarrativeFacts,
): NarrativeDraft {
  const firstSentence = (text: string) => {
    const end = text.indexOf('. ');
    return end < 0 ? text : text.slice(0, end + 1);
  };
  const cause = draft.summary.slice(draft.summary.indexOf('. ') + 2);
  return {
    summary: `${facts.alertCount} alerts since ${facts.onsetAt}. ${cause}`,
    impact: firstSentence(draft.impact),
    probableCause: firstSentence(draft.probableCause),
    evidence: draft.evidence.slice(0, 2),
    whatChanged: draft.whatChanged.slice(0, 1),
    suggestedActions: draft.suggestedActions.slice(0, 1),
  };
}
