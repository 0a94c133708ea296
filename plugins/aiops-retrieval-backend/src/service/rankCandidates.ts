import { cosine } from './cosine';
import { documentText } from './documentText';
import { fuse } from './fuse';
import { sharedTerms } from './sharedTerms';
import { structuralMatch, type Structure } from './structuralMatch';
import { tokenize } from './tokenize';
import type {
  CandidateSignals,
  FusionOptions,
  IncidentDocument,
  MatchExplanation,
  StructuralMatch,
} from './types';

/** What is searched for: an incident's structure and words, or free text alone. */
export interface RetrievalQuery {
  /** The incident's structure, for "similar to this incident"; absent for free text. */
  structure?: Structure;
  tokens: string[];
  /** The query's embedding; absent when the embedder failed (lexical + structural only). */
  vector?: Float32Array;
  /** Never answered as its own match. */
  excludeIncidentId?: string;
}

/** A document the store proposed, with the store's lexical score when it found it by words. */
export interface Candidate {
  document: IncidentDocument;
  /** Higher is better; the store's own scale (BM25 or ts_rank). */
  lexical?: number;
  /** Absent when stored without a vector, or with another model's. */
  vector?: Float32Array;
}

export interface RankedHit {
  document: IncidentDocument;
  score: number;
  why: MatchExplanation;
}

const NO_STRUCTURE: StructuralMatch = {
  sharedEntities: [],
  sharedAlertNames: [],
  sameRootCause: false,
  sameSystem: false,
  score: 0,
};

/**
 * Ranks candidates for a query: each gets a lexical, a vector and a structural score, fused
 * into one (see `fuse`), and the reasons a person can check. The best `k`, best first.
 */
export function rankCandidates(
  query: RetrievalQuery,
  candidates: Candidate[],
  options: { fusion: FusionOptions; k: number },
): RankedHit[] {
  const seen = new Set<string>();
  const scored = candidates.flatMap(candidate => {
    const id = candidate.document.incidentId;
    if (id === query.excludeIncidentId || seen.has(id)) return [];
    seen.add(id);
    const structure = query.structure
      ? structuralMatch(query.structure, candidate.document)
      : NO_STRUCTURE;
    const signals: CandidateSignals = {
      lexical: candidate.lexical,
      // Opposite directions are no more alike than unrelated ones.
      vector:
        query.vector && candidate.vector
          ? Math.max(0, cosine(query.vector, candidate.vector))
          : undefined,
      structural: structure.score,
    };
    return [{ item: { candidate, structure }, signals }];
  });

  return fuse(scored, options.fusion)
    .slice(0, options.k)
    .map(({ item: { candidate, structure }, signals, score }) => ({
      document: candidate.document,
      score,
      why: {
        sharedEntities: structure.sharedEntities,
        sharedAlertNames: structure.sharedAlertNames,
        sameRootCause: structure.sameRootCause,
        sameSystem: structure.sameSystem,
        sharedTerms: sharedTerms(
          query.tokens,
          tokenize(documentText(candidate.document)),
        ),
        signals,
      },
    }));
}
