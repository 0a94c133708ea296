import { ConfigReader } from '@backstage/config';
import { readRetrievalConfig } from './config';
import { DEFAULT_FUSION } from './service/types';

const read = (retrieval: object) =>
  readRetrievalConfig(new ConfigReader({ aiops: { retrieval } }));

describe('readRetrievalConfig', () => {
  it('has defaults', () => {
    expect(readRetrievalConfig(new ConfigReader({}))).toEqual({
      enabled: true,
      catchUpIntervalMs: 30_000,
      embedder: 'auto',
      fusion: DEFAULT_FUSION,
    });
  });

  it('reads the fusion method, weights and interval', () => {
    expect(
      read({
        catchUpInterval: 'PT1M',
        fusion: { method: 'rrf', rrfK: 10, weights: { structural: 0.5 } },
      }),
    ).toMatchObject({
      catchUpIntervalMs: 60_000,
      fusion: {
        method: 'rrf',
        rrfK: 10,
        weights: { ...DEFAULT_FUSION.weights, structural: 0.5 },
      },
    });
  });

  it('reads the embedder', () => {
    expect(read({ embedder: 'use-lite' }).embedder).toBe('use-lite');
    expect(read({ embedder: 'hashed-ngrams' }).embedder).toBe('hashed-ngrams');
    expect(read({ embedder: 'llm' }).embedder).toBe('llm');
  });

  it('refuses a bad value, naming its key', () => {
    expect(() => read({ embedder: 'mistral-embed' })).toThrow(
      'aiops.retrieval.embedder must be one of auto, hashed-ngrams, use-lite, llm, not mistral-embed',
    );
    expect(() => read({ fusion: { method: 'max' } })).toThrow(
      'aiops.retrieval.fusion.method',
    );
    expect(() => read({ fusion: { weights: { vector: -1 } } })).toThrow(
      'aiops.retrieval.fusion.weights.vector',
    );
    expect(() => read({ fusion: { rrfK: 0 } })).toThrow(
      'aiops.retrieval.fusion.rrfK',
    );
  });
});
