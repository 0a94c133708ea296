/**
 * A small seeded pseudo-random generator (mulberry32) with the helpers the scenario needs.
 * Deterministic: the same seed always gives the same sequence, on every platform.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Standard normal (Box–Muller). */
  gaussian(): number;
  /** `median` spread log-normally: most values near it, a long tail above. */
  lognormal(median: number, sigma?: number): number;
  /** `length` lower-case hex digits. */
  hex(length: number): string;
}

/** Mixes numbers into one 32-bit seed (murmur3's finaliser over each 32-bit half). */
export function mixSeed(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    const low = value >>> 0;
    const high = Math.floor(value / 0x100000000) >>> 0;
    for (const part of [low, high]) {
      h = Math.imul(h ^ part, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const prng: Prng = {
    next,
    between: (min, max) => min + next() * (max - min),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: probability => next() < probability,
    pick: items => items[Math.floor(next() * items.length)],
    gaussian: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    lognormal: (median, sigma = 0.35) =>
      median * Math.exp(sigma * prng.gaussian()),
    hex: length => {
      let out = '';
      while (out.length < length) {
        out += Math.floor(next() * 0x100000000)
          .toString(16)
          .padStart(8, '0');
      }
      return out.slice(0, length);
    },
  };
  return prng;
}
