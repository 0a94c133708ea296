import type { LlmService } from '@aiops/plugin-aiops-node';
import {
  LLM_EMBED_BATCH,
  LLM_EMBED_MAX_CHARS,
  LlmEmbedder,
} from './llmEmbedder';

/** An LLM service whose embeddings are given by `vectors` (a provider, as the interface has it). */
function llmAnswering(vectors: (texts: string[]) => number[][]) {
  const calls: string[][] = [];
  const llm: LlmService = {
    available: () => true,
    chat: async () => {
      throw new Error('not asked');
    },
    embed: async texts => {
      calls.push(texts);
      return vectors(texts);
    },
    status: () => ({
      provider: 'mistral',
      available: true,
      breaker: 'closed',
      models: { chat: 'mistral-small-latest', embedding: 'mistral-embed' },
    }),
  };
  return { llm, calls };
}

describe('LlmEmbedder', () => {
  it('is named after the provider’s embedding model, L2-normalises, and learns the dimension', async () => {
    const { llm } = llmAnswering(texts => texts.map(() => [3, 4]));
    const embedder = new LlmEmbedder(llm);
    expect(embedder.model).toBe('llm:mistral-embed');
    expect(embedder.dimension).toBe(0);
    const [vector] = await embedder.embed(['redis down']);
    expect(Array.from(vector)).toEqual([
      expect.closeTo(0.6, 6),
      expect.closeTo(0.8, 6),
    ]);
    expect(embedder.dimension).toBe(2);
  });

  it('sends bounded batches of bounded texts, and keeps the order', async () => {
    const { llm, calls } = llmAnswering(texts =>
      texts.map(text => [text.length, 1]),
    );
    const texts = Array.from({ length: LLM_EMBED_BATCH + 3 }, (_, i) =>
      'x'.repeat(i === 0 ? LLM_EMBED_MAX_CHARS * 2 : i),
    );
    const vectors = await new LlmEmbedder(llm).embed(texts);
    expect(calls.map(c => c.length)).toEqual([LLM_EMBED_BATCH, 3]);
    expect(calls[0][0]).toHaveLength(LLM_EMBED_MAX_CHARS);
    expect(vectors).toHaveLength(texts.length);
    // Text i has length i: its vector leans to the first axis as i grows.
    expect(vectors[2][0]).toBeLessThan(vectors[3][0]);
  });

  it('rejects an answer that does not fit: a missing vector or a changed dimension', async () => {
    await expect(
      new LlmEmbedder(llmAnswering(() => [[1, 0]]).llm).embed(['a', 'b']),
    ).rejects.toThrow('answered 1 vectors for 2 texts');
    let dimension = 2;
    const embedder = new LlmEmbedder(
      llmAnswering(texts => texts.map(() => new Array(dimension).fill(1))).llm,
    );
    await embedder.embed(['a']);
    dimension = 3;
    await expect(embedder.embed(['b'])).rejects.toThrow(
      'answered 3 dimensions, before 2',
    );
  });
});
