import { cosine } from './cosine';
import {
  HASHED_NGRAMS_DIMENSION,
  embedHashedNgrams,
  hashedNgramsEmbedder,
} from './hashedNgrams';

const norm = (vector: Float32Array) =>
  Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));

describe('embedHashedNgrams', () => {
  it('is deterministic, of the fixed dimension and unit length', () => {
    const a = embedHashedNgrams('Redis latency on cart');
    const b = embedHashedNgrams('Redis latency on cart');
    expect(a).toHaveLength(HASHED_NGRAMS_DIMENSION);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(norm(a)).toBeCloseTo(1, 5);
  });

  it('ranks a paraphrase of the same problem above a different problem', () => {
    const query = embedHashedNgrams('RedisDown: cart cannot reach redis-cart');
    const same = embedHashedNgrams('redis cart connection refused, Redis down');
    const other = embedHashedNgrams('Disk full on ledger-db volume');
    expect(cosine(query, same)).toBeGreaterThan(cosine(query, other) + 0.2);
  });

  it('gives near words something in common through their character trigrams', () => {
    const a = embedHashedNgrams('timeout');
    expect(cosine(a, embedHashedNgrams('timeouts'))).toBeGreaterThan(0.3);
    expect(cosine(a, embedHashedNgrams('certificate'))).toBeLessThan(0.2);
  });

  it('gives the zero vector for text without words', () => {
    expect(norm(embedHashedNgrams('  -- !! '))).toBe(0);
  });

  it('embeds batches through the Embedder interface, named with its version', async () => {
    const [vector] = await hashedNgramsEmbedder.embed(['cart']);
    expect(hashedNgramsEmbedder.model).toBe('hashed-ngrams@1');
    expect(Array.from(vector)).toEqual(Array.from(embedHashedNgrams('cart')));
  });
});
