/*
 * The narrative as the narrator produces it. aiops-common's `Narrative` predates issue [F] and
 * has another shape (claims and ungrounded claims only); this one should replace it there once
 * the plugin's API is written, so that the frontend reads one definition.
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

/** Why one piece of text failed the grounding check. */
export interface GroundingProblem {
  /** The rule with its version, e.g. `cited-evidence@1`. */
  rule: string;
  message: string;
}

/** A piece of a narrative that failed the check: where it is, what it says and why. */
export interface RejectedClaim {
  section: NarrativeSection;
  /** Index in `evidence`, `whatChanged` or `suggestedActions`; absent for the single texts. */
  index?: number;
  text: string;
  problems: GroundingProblem[];
}

export interface GroundingResult {
  passed: boolean;
  /** Empty when it passed. */
  rejected: RejectedClaim[];
  /** The rules applied, with their versions, so a stored verdict can be reproduced. */
  rules: string[];
}

/** A narrative with who wrote it and the grounding verdict. */
export interface IncidentNarrative extends NarrativeDraft {
  /** `template`, or the model's name. */
  generatedBy: string;
  grounding: GroundingResult;
}
