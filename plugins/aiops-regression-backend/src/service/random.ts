/**
 * Seeded randomness for tests and the evaluation's generator: mulberry32 for uniforms and
 * Box–Muller for normals, so every run sees the same numbers.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sampler over a uniform source. */
export function normalSampler(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Piecewise-constant levels with Gaussian noise: `[[length, mean], ...]`. */
export function steps(
  seed: number,
  pieces: Array<[number, number]>,
  sd = 1,
): number[] {
  const normal = normalSampler(seededRandom(seed));
  const out: number[] = [];
  for (const [length, mean] of pieces) {
    for (let i = 0; i < length; i++) out.push(mean + sd * normal());
  }
  return out;
}
