/**
 * Turns texts into vectors of one fixed dimension, L2-normalised, so that a dot product is
 * their cosine. Vectors are stored with `model`: vectors of different models are never
 * compared, and a change of model re-embeds.
 */
export interface Embedder {
  /** Names the model and its version, e.g. `hashed-ngrams@1`. */
  readonly model: string;
  readonly dimension: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}
