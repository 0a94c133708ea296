/*
 * A narrative's text as the template (or a model) writes it, before the narrator's grounding
 * check. Here, in the shared backend library, because correlation puts the template's text
 * into its first notification and the narrator rewrites and checks it: one definition for both.
 */

/** One sentence of a narrative and the evidence ids (see `NarrativeFacts.evidence`) behind it. */
export interface NarrativeClaim {
  claim: string;
  evidenceIds: string[];
}

/** The parts of a narrative that carry text; the grounding check reads each of them. */
export type NarrativeSection =
  | 'summary'
  | 'impact'
  | 'probableCause'
  | 'evidence'
  | 'whatChanged'
  | 'suggestedActions';

/** A narrative's content, from the template or from a model, before it is checked. */
export interface NarrativeDraft {
  summary: string;
  impact: string;
  probableCause: string;
  evidence: NarrativeClaim[];
  /** Deployments, changes and regressions before and around the onset, one sentence each. */
  whatChanged: string[];
  suggestedActions: string[];
}
