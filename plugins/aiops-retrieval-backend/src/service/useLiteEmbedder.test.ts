import { cosine } from './cosine';
import { USE_LITE_DIMENSION, UseLiteEmbedder } from './useLiteEmbedder';

// The real model, from the package folder: loading it and embedding take a few seconds.
jest.setTimeout(120_000);

const embedder = new UseLiteEmbedder();
const length = (vector: Float32Array) =>
  Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));

describe('UseLiteEmbedder', () => {
  it('embeds with the shipped weights, L2-normalised and deterministic', async () => {
    const [first, again] = [
      await embedder.embed(['redis-cart: RedisDown, cart cannot reach Redis']),
      await embedder.embed(['redis-cart: RedisDown, cart cannot reach Redis']),
    ];
    expect(embedder.model).toBe('use-lite@1');
    expect(first[0]).toHaveLength(USE_LITE_DIMENSION);
    expect(length(first[0])).toBeCloseTo(1, 5);
    expect(Array.from(again[0])).toEqual(Array.from(first[0]));
  });

  it('places a paraphrase closer than an unrelated incident', async () => {
    const [query, paraphrase, unrelated] = await embedder.embed([
      'The database ran out of disk space and writes failed',
      'Disk full on the database volume, inserts were rejected',
      'TLS certificate of the public gateway expired',
    ]);
    expect(cosine(query, paraphrase)).toBeGreaterThan(
      cosine(query, unrelated) + 0.1,
    );
  });

  it('answers each text in its place, empty texts as the zero vector', async () => {
    const texts = Array.from({ length: 6 }, (_, i) =>
      i === 2 ? '   ' : `checkout pod ${i} OOMKilled after deploy`,
    );
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    expect(length(vectors[2])).toBe(0);
    const [alone] = await embedder.embed([texts[4]]);
    expect(cosine(vectors[4], alone)).toBeCloseTo(1, 4);
    expect(cosine(vectors[1], alone)).toBeLessThan(0.9999);
  });

  it('loads once, and again after a failed load', async () => {
    const model = { embed: async (texts: string[]) => texts.map(() => [3, 4]) };
    const load = jest
      .fn()
      .mockRejectedValueOnce(new Error('no weights'))
      .mockResolvedValue(model);
    const flaky = new UseLiteEmbedder(load);
    await expect(flaky.embed(['a'])).rejects.toThrow('no weights');
    const [[vector]] = await Promise.all([
      flaky.embed(['a']),
      flaky.embed(['b']),
    ]);
    expect(vector[0]).toBeCloseTo(0.6, 6);
    expect(vector[1]).toBeCloseTo(0.8, 6);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
