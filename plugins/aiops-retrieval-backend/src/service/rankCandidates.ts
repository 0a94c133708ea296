import { cosine } from './cosine';
import { documentText } from './documentText';
import { fuse } from './fuse';
import { sharedTerms } from './sharedTerms';
import { structuralMatch, type Structure } from './structuralMatch';
import { tokenize } from './tokenize';
import type { Candidate, HybridCandidate } from '@aiops/plugin-aiops-node';
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

export type { Candidate } from '@aiops/plugin-aiops-node';

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
  const scored = distinct(query, candidates).map(candidate => {
    const structure = structureOf(query, candidate.document);
    return {
      item: { candidate, structure },
      signals: signalsOf(query, candidate, structure),
    };
  });
  return fuse(scored, options.fusion)
    .slice(0, options.k)
    .map(({ item, signals, score }) =>
      hitOf(query, item.candidate, item.structure, signals, score),
    );
}

/**
 * Hits in the order and with the scores a store fused them (OpenSearch's hybrid query), with
 * the same reasons `rankCandidates` gives, so a hit reads the same whichever store ranked it.
 */
export function explainRanked(
  query: RetrievalQuery,
  candidates: HybridCandidate[],
  k: number,
): RankedHit[] {
  return distinct(query, candidates)
    .slice(0, k)
    .map(candidate => {
      const structure = structureOf(query, candidate.document);
      return hitOf(
        query,
        candidate,
        structure,
        signalsOf(query, candidate, structure),
        candidate.score,
      );
    });
}

/** Each candidate once, in order, never the query's own incident nor a merged one. */
function distinct<C extends Candidate>(query: RetrievalQuery, candidates: C[]) {
  const seen = new Set<string>();
  return candidates.filter(({ document: { incidentId: id, mergedInto } }) => {
    if (id === query.excludeIncidentId || mergedInto || seen.has(id))
      return false;
    seen.add(id);
    return true;
  });
}

function structureOf(
  query: RetrievalQuery,
  document: IncidentDocument,
): StructuralMatch {
  return query.structure
    ? structuralMatch(query.structure, document)
    : NO_STRUCTURE;
}

function signalsOf(
  query: RetrievalQuery,
  candidate: Candidate,
  structure: StructuralMatch,
): CandidateSignals {
  return {
    lexical: candidate.lexical,
    // Opposite directions are no more alike than unrelated ones.
    vector:
      query.vector && candidate.vector
        ? Math.max(0, cosine(query.vector, candidate.vector))
        : undefined,
    structural: structure.score,
  };
}

function hitOf(
  query: RetrievalQuery,
  candidate: Candidate,
  structure: StructuralMatch,
  signals: CandidateSignals,
  score: number,
): RankedHit {
  return {
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
  };
}
