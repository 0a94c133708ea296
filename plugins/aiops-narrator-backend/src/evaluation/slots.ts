import type { NarrativeDraft } from '@aiops/plugin-aiops-node';

/** One editable text of a draft: its text and how to get a draft with it replaced. */
export interface Slot {
  text: string;
  set(text: string): NarrativeDraft;
}

/** Every text of a draft as a slot; `set` returns a changed copy and leaves the draft alone. */
export function slotsOf(draft: NarrativeDraft): Slot[] {
  const single = (key: 'summary' | 'impact' | 'probableCause'): Slot => ({
    text: draft[key],
    set: text => ({ ...draft, [key]: text }),
  });
  const listed = (key: 'whatChanged' | 'suggestedActions') =>
    draft[key].map(
      (text, i): Slot => ({
        text,
        set: next => ({
          ...draft,
          [key]: draft[key].map((t, j) => (j === i ? next : t)),
        }),
      }),
    );
  return [
    single('summary'),
    single('impact'),
    single('probableCause'),
    ...draft.evidence.map(
      (claim, i): Slot => ({
        text: claim.claim,
        set: next => ({
          ...draft,
          evidence: draft.evidence.map((c, j) =>
            j === i ? { ...c, claim: next } : c,
          ),
        }),
      }),
    ),
    ...listed('whatChanged'),
    ...listed('suggestedActions'),
  ];
}

/** Every text of a draft, mapped. */
export function mapTexts(
  draft: NarrativeDraft,
  map: (text: string) => string,
): NarrativeDraft {
  return {
    summary: map(draft.summary),
    impact: map(draft.impact),
    probableCause: map(draft.probableCause),
    evidence: draft.evidence.map(c => ({ ...c, claim: map(c.claim) })),
    whatChanged: draft.whatChanged.map(map),
    suggestedActions: draft.suggestedActions.map(map),
  };
}

/** `text` with `[index, index + length)` replaced. */
export function splice(
  text: string,
  index: number,
  length: number,
  replacement: string,
): string {
  return `${text.slice(0, index)}${replacement}${text.slice(index + length)}`;
}
