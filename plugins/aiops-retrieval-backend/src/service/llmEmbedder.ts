import { llmStatus, type LlmService } from '@aiops/plugin-aiops-node';
import type { Embedder } from './embedder';
import { l2Normalised } from './l2Normalised';

/** Texts per request: providers cap a request's inputs (Mistral takes up to 512 per call). */
export const LLM_EMBED_BATCH = 64;
/** Characters of a document sent: enough for what an incident is about, and a bounded cost. */
export const LLM_EMBED_MAX_CHARS = 4000;

/**
 * Embeddings from the suite's LLM service (`mistral-embed` with the Mistral provider), through
 * its budget, breaker and cache. The model is named after the provider's embedding model, so a
 * change of model re-embeds the index instead of mixing vectors. A failing provider rejects:
 * the indexer then stores the document for words and structure and the retriever answers
 * `lexical-structural`, marked as such.
 */
export class LlmEmbedder implements Embedder {
  readonly model: string;
  private learnedDimension = 0;

  constructor(private readonly llm: LlmService) {
    const name = llmStatus(llm).models?.embedding;
    this.model = `llm:${name ?? 'embedding'}`;
  }

  /** Known once the provider has answered (1,024 for `mistral-embed`); 0 before. */
  get dimension(): number {
    return this.learnedDimension;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += LLM_EMBED_BATCH) {
      const batch = texts
        .slice(i, i + LLM_EMBED_BATCH)
        .map(text => text.slice(0, LLM_EMBED_MAX_CHARS));
      const answered = await this.llm.embed(batch, 'aiops-retrieval');
      if (answered.length !== batch.length)
        throw new Error(
          `The embedding model answered ${answered.length} vectors for ${batch.length} texts`,
        );
      for (const values of answered) {
        if (this.learnedDimension && values.length !== this.learnedDimension)
          throw new Error(
            `The embedding model answered ${values.length} dimensions, before ${this.learnedDimension}`,
          );
        this.learnedDimension = values.length;
        vectors.push(l2Normalised(values));
      }
    }
    return vectors;
  }
}
