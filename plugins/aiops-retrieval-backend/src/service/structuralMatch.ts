import type { IncidentDocument, StructuralMatch } from './types';

/** What the structural comparison reads of a document. */
export type Structure = Pick<
  IncidentDocument,
  'entityRefs' | 'rootCauseEntityRef' | 'alertNames' | 'system'
>;

/**
 * How much each agreement counts. The root cause and the entities say most about "the same
 * problem again"; alert names next; the system alone is a weak hint.
 */
export const STRUCTURAL_WEIGHTS = {
  entities: 0.35,
  rootCause: 0.3,
  alertNames: 0.25,
  system: 0.1,
};

function jaccard(shared: number, a: number, b: number) {
  const union = a + b - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * The structure two incidents share: the same entities, the same root-cause entity, the same
 * alert names, the same system, and a 0..1 score weighing them (Jaccard overlap for the sets).
 */
export function structuralMatch(
  query: Structure,
  candidate: Structure,
): StructuralMatch {
  const candidateEntities = new Set(candidate.entityRefs);
  const sharedEntities = query.entityRefs.filter(ref =>
    candidateEntities.has(ref),
  );
  const candidateAlerts = new Set(candidate.alertNames);
  const sharedAlertNames = query.alertNames.filter(name =>
    candidateAlerts.has(name),
  );
  const sameRootCause =
    !!query.rootCauseEntityRef &&
    query.rootCauseEntityRef === candidate.rootCauseEntityRef;
  const sameSystem = !!query.system && query.system === candidate.system;
  const score =
    STRUCTURAL_WEIGHTS.entities *
      jaccard(
        sharedEntities.length,
        query.entityRefs.length,
        candidateEntities.size,
      ) +
    STRUCTURAL_WEIGHTS.rootCause * (sameRootCause ? 1 : 0) +
    STRUCTURAL_WEIGHTS.alertNames *
      jaccard(
        sharedAlertNames.length,
        query.alertNames.length,
        candidateAlerts.size,
      ) +
    STRUCTURAL_WEIGHTS.system * (sameSystem ? 1 : 0);
  return { sharedEntities, sharedAlertNames, sameRootCause, sameSystem, score };
}
