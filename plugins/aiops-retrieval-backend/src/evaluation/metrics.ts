/*
 * Ranking metrics of one query, binary relevance: `ranked` is the system's answer, best first;
 * `relevant` the ids that should be found. Averaged over queries by the caller.
 */

/**
 * Capped recall (BEIR's `R_cap@k`): the relevant ids in the first `k`, over how many could fit
 * there, min(k, |relevant|). 1 is a perfect first page even when the group is larger than `k`.
 * 0 when nothing is relevant.
 */
export function recallAtK(
  ranked: string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  const possible = Math.min(k, relevant.size);
  if (possible === 0) return 0;
  return ranked.slice(0, k).filter(id => relevant.has(id)).length / possible;
}

/** 1 when any relevant id is in the first `k` (the "was one of them useful" view). */
export function hitAtK(
  ranked: string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  return ranked.slice(0, k).some(id => relevant.has(id)) ? 1 : 0;
}

/** 1 / the rank of the first relevant id; 0 when none is ranked. */
export function reciprocalRank(
  ranked: string[],
  relevant: ReadonlySet<string>,
): number {
  const index = ranked.findIndex(id => relevant.has(id));
  return index < 0 ? 0 : 1 / (index + 1);
}

/**
 * Normalised discounted cumulative gain over the first `k`: Σ 1 / log2(rank + 1) over the
 * relevant ids ranked, over the same sum for a perfect ranking. 0 when nothing is relevant.
 */
export function ndcgAtK(
  ranked: string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  const gain = (rank: number) => 1 / Math.log2(rank + 1);
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += gain(i + 1);
  });
  let ideal = 0;
  for (let rank = 1; rank <= Math.min(k, relevant.size); rank++)
    ideal += gain(rank);
  return ideal === 0 ? 0 : dcg / ideal;
}
