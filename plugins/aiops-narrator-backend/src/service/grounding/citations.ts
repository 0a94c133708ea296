import { quote, type GroundingRule } from './rule';

export const CITED_EVIDENCE_RULE = 'cited-evidence@1';

/** More citations than this are not a claim's support but a dump of ids. */
export const MAX_CITED = 50;

/** Every evidence claim cites at least one id, and every id it cites is a fact's. */
export const citedEvidence: GroundingRule = {
  id: CITED_EVIDENCE_RULE,
  check({ evidenceIds }, { evidenceIds: known }) {
    if (evidenceIds === undefined) return [];
    if (evidenceIds.length === 0) return ['cites no evidence'];
    if (evidenceIds.length > MAX_CITED)
      return [`cites ${evidenceIds.length} ids, more than ${MAX_CITED}`];
    const unknown = evidenceIds.filter(
      id => typeof id !== 'string' || !known.has(id),
    );
    return unknown.length > 0
      ? [
          `cites evidence that does not exist: ${unknown
            .slice(0, 5)
            .map(id => quote(String(id)))
            .join(', ')}`,
        ]
      : [];
  },
};
