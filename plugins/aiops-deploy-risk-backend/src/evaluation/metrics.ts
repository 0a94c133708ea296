/**
 * The evaluation's metrics over (probability, outcome) pairs: ROC AUC, Brier score and
 * precision/recall of a yes/no prediction.
 */

/**
 * Area under the ROC curve: the probability that a random failed deploy scores above a random
 * successful one, ties counting half (the Mann–Whitney U statistic over average ranks).
 * NaN when either class is empty.
 */
export function rocAuc(scores: number[], outcomes: boolean[]): number {
  const order = scores.map((s, i) => ({ s, y: outcomes[i] }));
  order.sort((a, b) => a.s - b.s);
  const positives = outcomes.filter(Boolean).length;
  const negatives = outcomes.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j].s === order[i].s) j++;
    // Ranks i+1..j share their average.
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k].y) rankSum += averageRank;
    i = j;
  }
  return (
    (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
  );
}

/** Mean squared difference between the predicted probability and the outcome (0 or 1). */
export function brierScore(
  probabilities: number[],
  outcomes: boolean[],
): number {
  if (probabilities.length === 0) return NaN;
  return (
    probabilities.reduce((s, p, i) => s + (p - (outcomes[i] ? 1 : 0)) ** 2, 0) /
    probabilities.length
  );
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
  /** How many were predicted positive. */
  flagged: number;
  truePositives: number;
}

/** Precision and recall of `predicted` against `outcomes`; precision is NaN when nothing is flagged. */
export function precisionRecall(
  predicted: boolean[],
  outcomes: boolean[],
): PrecisionRecall {
  let truePositives = 0;
  let flagged = 0;
  let positives = 0;
  predicted.forEach((p, i) => {
    if (p) flagged++;
    if (outcomes[i]) positives++;
    if (p && outcomes[i]) truePositives++;
  });
  return {
    precision: flagged ? truePositives / flagged : NaN,
    recall: positives ? truePositives / positives : NaN,
    flagged,
    truePositives,
  };
}
