import type {
  NarrativeDraft,
  NarrativeSection,
} from '@aiops/plugin-aiops-node';

/*
 * The narrative as the narrator keeps it: the draft (the template's or a model's, defined in
 * aiops-node with the template) with who wrote it and the grounding verdict. aiops-common's
 * `Narrative` predates issue [F] and has another shape (claims and ungrounded claims only); this
 * one should replace it there, so that the frontend reads one definition.
 */

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
