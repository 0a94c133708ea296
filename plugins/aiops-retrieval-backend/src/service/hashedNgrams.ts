import type { Embedder } from './embedder';
import { tokenize } from './tokenize';

export const HASHED_NGRAMS_MODEL = 'hashed-ngrams@1';
/** A power of two, so a hash picks a slot with a mask. */
export const HASHED_NGRAMS_DIMENSION = 512;

/** Relative weights of the three kinds of feature. */
const WORD = 1;
const WORD_PAIR = 0.5;
const CHAR_TRIGRAM = 0.35;

/** FNV-1a, 32 bits: fast, stable across runs and platforms (no seed). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The offline embedding: words, adjacent word pairs and the character trigrams of each word
 * (`#redis#` gives `#re`, `red`, …, so `redis` and `rediscart` share something), each hashed
 * into one of `dimension` slots with a hashed sign (collisions cancel rather than pile up),
 * weighted by log term frequency, then L2-normalised. Needs no model file and no network;
 * deterministic. A text without words gives the zero vector.
 */
export function embedHashedNgrams(
  text: string,
  dimension = HASHED_NGRAMS_DIMENSION,
): Float32Array {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) =>
    counts.set(feature, (counts.get(feature) ?? 0) + weight);
  const words = tokenize(text);
  words.forEach((word, i) => {
    add(`w:${word}`, WORD);
    if (i > 0) add(`b:${words[i - 1]} ${word}`, WORD_PAIR);
    const padded = `#${word}#`;
    for (let j = 0; j + 3 <= padded.length; j++)
      add(`c:${padded.slice(j, j + 3)}`, CHAR_TRIGRAM);
  });

  const vector = new Float32Array(dimension);
  const mask = dimension - 1;
  for (const [feature, weight] of counts) {
    const hash = fnv1a(feature);
    const sign = hash & 0x80000000 ? -1 : 1;
    // Sub-linear term frequency: a word said ten times is not ten times the evidence.
    vector[hash & mask] += sign * Math.log1p(weight);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dimension; i++) vector[i] /= norm;
  return vector;
}

/** `embedHashedNgrams` as the plugin's default `Embedder`. */
export const hashedNgramsEmbedder: Embedder = {
  model: HASHED_NGRAMS_MODEL,
  dimension: HASHED_NGRAMS_DIMENSION,
  embed: async texts => texts.map(text => embedHashedNgrams(text)),
};
