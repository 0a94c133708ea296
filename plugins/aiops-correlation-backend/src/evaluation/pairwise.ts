/**
 * Pairwise agreement of two groupings of the same alerts (as in clustering evaluation): a pair
 * of alerts is a true positive when both groupings put them together, a false positive when
 * only the produced one does, a false negative when only the expected one does. An alert with
 * no group in a grouping is alone in it.
 */
export interface PairCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export function pairCounts(
  alertIds: string[],
  produced: ReadonlyMap<string, string>,
  expected: ReadonlyMap<string, string>,
): PairCounts {
  // Counting pairs per (produced, expected) cell instead of per pair keeps a storm of
  // thousands of alerts linear.
  const choose2 = (n: number) => (n * (n - 1)) / 2;
  const byProduced = new Map<string, number>();
  const byExpected = new Map<string, number>();
  const byBoth = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) =>
    map.set(key, (map.get(key) ?? 0) + 1);
  for (const id of new Set(alertIds)) {
    const p = produced.get(id) ?? `alone:${id}`;
    const e = expected.get(id) ?? `alone:${id}`;
    bump(byProduced, p);
    bump(byExpected, e);
    bump(byBoth, JSON.stringify([p, e]));
  }
  const sumPairs = (map: Map<string, number>) =>
    [...map.values()].reduce((sum, n) => sum + choose2(n), 0);
  const together = sumPairs(byBoth);
  return {
    truePositives: together,
    falsePositives: sumPairs(byProduced) - together,
    falseNegatives: sumPairs(byExpected) - together,
  };
}

export function addPairCounts(counts: PairCounts[]): PairCounts {
  return counts.reduce(
    (sum, c) => ({
      truePositives: sum.truePositives + c.truePositives,
      falsePositives: sum.falsePositives + c.falsePositives,
      falseNegatives: sum.falseNegatives + c.falseNegatives,
    }),
    { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
  );
}

/** F1 of the pair counts; 1 when neither grouping puts any two alerts together. */
export function pairwiseF1(c: PairCounts): number {
  const denominator = 2 * c.truePositives + c.falsePositives + c.falseNegatives;
  return denominator === 0 ? 1 : (2 * c.truePositives) / denominator;
}
