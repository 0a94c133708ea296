import type { CandidateSignals, FusionOptions } from './types';

export interface Scored<T> {
  item: T;
  signals: CandidateSignals;
}

export interface Fused<T> extends Scored<T> {
  /** 0..1: the fused score. */
  score: number;
}

type Signal = keyof CandidateSignals;
const SIGNALS: Signal[] = ['lexical', 'vector', 'structural'];

/** Signals some candidate has; a signal nobody has (the embedder was down) does not count. */
function activeSignals<T>(candidates: Array<Scored<T>>): Signal[] {
  return SIGNALS.filter(signal =>
    candidates.some(({ signals }) => signals[signal] !== undefined),
  );
}

/**
 * Min-max normalisation per signal, then the weighted mean: each signal's scores are rescaled
 * to 0..1 over the candidates, so BM25's and cosine's scales do not matter. A candidate
 * without a signal counts 0 for it.
 */
function minMax<T>(
  candidates: Array<Scored<T>>,
  signals: Signal[],
  weights: FusionOptions['weights'],
): number[] {
  const totalWeight = signals.reduce((sum, s) => sum + weights[s], 0);
  const scores = candidates.map(() => 0);
  for (const signal of signals) {
    const values = candidates
      .map(c => c.signals[signal])
      .filter((v): v is number => v !== undefined);
    const min = Math.min(...values);
    const max = Math.max(...values);
    candidates.forEach((candidate, i) => {
      const value = candidate.signals[signal];
      if (value === undefined) return;
      // All equal: a positive score is as good as the best, a zero one says nothing.
      let normalised = value > 0 ? 1 : 0;
      if (max > min) normalised = (value - min) / (max - min);
      scores[i] += (weights[signal] * normalised) / (totalWeight || 1);
    });
  }
  return scores;
}

/**
 * Reciprocal rank fusion: each signal ranks the candidates it scored above 0, and a candidate
 * gets weight / (k + rank) from each; divided by the best possible sum so it reads 0..1.
 */
function reciprocalRank<T>(
  candidates: Array<Scored<T>>,
  signals: Signal[],
  weights: FusionOptions['weights'],
  k: number,
): number[] {
  const best = signals.reduce((sum, s) => sum + weights[s] / (k + 1), 0);
  const scores = candidates.map(() => 0);
  for (const signal of signals) {
    const ranked = candidates
      .map((candidate, i) => ({ i, value: candidate.signals[signal] ?? 0 }))
      .filter(({ value }) => value > 0)
      .sort((a, b) => b.value - a.value || a.i - b.i);
    ranked.forEach(({ i }, rank) => {
      scores[i] += weights[signal] / (k + rank + 1) / (best || 1);
    });
  }
  return scores;
}

/**
 * Combines each candidate's lexical, vector and structural scores into one, by min-max
 * normalisation and a weighted mean or by reciprocal rank fusion, best first. Signals no
 * candidate has are left out and the others' weights make up the whole. Ties keep the
 * candidates' order, so the result is deterministic.
 */
export function fuse<T>(
  candidates: Array<Scored<T>>,
  options: FusionOptions,
): Array<Fused<T>> {
  const signals = activeSignals(candidates);
  const scores =
    options.method === 'rrf'
      ? reciprocalRank(candidates, signals, options.weights, options.rrfK)
      : minMax(candidates, signals, options.weights);
  return candidates
    .map((candidate, i) => ({ ...candidate, score: scores[i], i }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map(({ i: _, ...fused }) => fused);
}
