/**
 * A seeded pseudo-random generator (mulberry32, seeded by FNV-1a of a string key), so that the
 * labelled set is the same on every run and machine.
 */
export function seededRandom(key: string): () => number {
  let seed = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    seed ^= key.charCodeAt(i);
    seed = Math.imul(seed, 0x01000193) >>> 0;
  }
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** An integer in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** `count` distinct items in random order (all of them when there are fewer). */
export function sample<T>(
  random: Random,
  items: readonly T[],
  count: number,
): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length)
    out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return out;
}
