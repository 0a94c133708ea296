import { hitAtK, ndcgAtK, recallAtK, reciprocalRank } from './metrics';

/** The mean metrics of a method over every query of the set. */
export interface MethodScores {
  method: string;
  /** Capped recall@5 (see `recallAtK`). */
  recallAt5: number;
  hitAt5: number;
  mrr: number;
  ndcgAt10: number;
  queries: number;
}

/** One query's answer: its group and the ids ranked, best first (itself excluded). */
export interface QueryRanking {
  queryId: string;
  group: string;
  ranked: string[];
}

/**
 * Scores a method's rankings: relevant to a query are the other incidents of its group.
 * Leave-one-out: the query's own id never counts, even if a ranker returned it.
 */
export function scoreRankings(
  method: string,
  rankings: QueryRanking[],
  groupOf: ReadonlyMap<string, string>,
): MethodScores {
  const members = new Map<string, string[]>();
  for (const [id, group] of groupOf)
    members.set(group, [...(members.get(group) ?? []), id]);
  const sums = { recallAt5: 0, hitAt5: 0, mrr: 0, ndcgAt10: 0 };
  for (const { queryId, group, ranked } of rankings) {
    const relevant = new Set(
      (members.get(group) ?? []).filter(id => id !== queryId),
    );
    const answer = ranked.filter(id => id !== queryId);
    sums.recallAt5 += recallAtK(answer, relevant, 5);
    sums.hitAt5 += hitAtK(answer, relevant, 5);
    sums.mrr += reciprocalRank(answer, relevant);
    sums.ndcgAt10 += ndcgAtK(answer, relevant, 10);
  }
  const n = rankings.length || 1;
  return {
    method,
    recallAt5: sums.recallAt5 / n,
    hitAt5: sums.hitAt5 / n,
    mrr: sums.mrr / n,
    ndcgAt10: sums.ndcgAt10 / n,
    queries: rankings.length,
  };
}

/** Capped recall@5 per group, worst first: where a method fails. */
export function recallByGroup(
  rankings: QueryRanking[],
  groupOf: ReadonlyMap<string, string>,
): Array<{ group: string; recallAt5: number }> {
  const byGroup = new Map<string, QueryRanking[]>();
  for (const ranking of rankings)
    byGroup.set(ranking.group, [
      ...(byGroup.get(ranking.group) ?? []),
      ranking,
    ]);
  return [...byGroup]
    .map(([group, queries]) => ({
      group,
      recallAt5: scoreRankings(group, queries, groupOf).recallAt5,
    }))
    .sort(
      (a, b) => a.recallAt5 - b.recallAt5 || a.group.localeCompare(b.group),
    );
}
