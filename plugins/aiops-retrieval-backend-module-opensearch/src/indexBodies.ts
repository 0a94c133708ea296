import { createHash } from 'node:crypto';
import type { FusionOptions } from '@aiops/plugin-aiops-node';

/**
 * The index and search-pipeline bodies, as plain data (tested without a cluster).
 *
 * One document per incident. `body` is the plugin's tokens (already lower-cased, camel case
 * split, stop words out) for BM25; the structural keys are keywords, lower-cased like the
 * plugin's own keys; `embedding` is a k-NN vector (HNSW, cosine) with its model beside it, so
 * vectors of two models are never compared; `document` is the plugin's document, kept whole and
 * not indexed.
 */
export function indexBody(dimension: number) {
  return {
    settings: { index: { knn: true } },
    mappings: {
      dynamic: 'strict',
      properties: {
        incidentId: { type: 'keyword' },
        body: { type: 'text' },
        entityRefs: { type: 'keyword' },
        alertNames: { type: 'keyword' },
        rootCauseEntityRef: { type: 'keyword' },
        system: { type: 'keyword' },
        owner: { type: 'keyword' },
        status: { type: 'keyword' },
        openedAt: { type: 'date' },
        embeddingModel: { type: 'keyword' },
        embedding: {
          type: 'knn_vector',
          dimension,
          method: {
            name: 'hnsw',
            space_type: 'cosinesimil',
            engine: 'lucene',
          },
        },
        document: { type: 'object', enabled: false },
      },
    },
  };
}

/** The hybrid query's clauses, in this order: the pipeline's weights follow it. */
export const HYBRID_CLAUSES = ['lexical', 'vector', 'structural'] as const;

/**
 * The search pipeline that fuses the hybrid query's three clauses as the plugin's own ranking
 * does: min-max normalisation with a weighted arithmetic mean (`normalization-processor`), or
 * reciprocal rank fusion (`score-ranker-processor`, OpenSearch 2.19 and later). OpenSearch wants
 * the weights to add up to 1.
 */
export function pipelineBody(fusion: FusionOptions) {
  if (fusion.method === 'rrf')
    return {
      description:
        'aiops-retrieval: reciprocal rank fusion of words, vectors and structure',
      phase_results_processors: [
        {
          'score-ranker-processor': {
            combination: { technique: 'rrf', rank_constant: fusion.rrfK },
          },
        },
      ],
    };
  const raw = HYBRID_CLAUSES.map(clause => Math.max(0, fusion.weights[clause]));
  const total = raw.reduce((sum, w) => sum + w, 0) || 1;
  // Rounded so that the pipeline body is stable; the last one takes the rounding's remainder.
  const weights = raw.map(w => Math.round((w / total) * 1e4) / 1e4);
  weights[weights.length - 1] =
    Math.round((1 - weights.slice(0, -1).reduce((s, w) => s + w, 0)) * 1e4) /
    1e4;
  return {
    description:
      'aiops-retrieval: min-max normalised, weighted mean of words, vectors and structure',
    phase_results_processors: [
      {
        'normalization-processor': {
          normalization: { technique: 'min_max' },
          combination: {
            technique: 'arithmetic_mean',
            parameters: { weights },
          },
        },
      },
    ],
  };
}

/** A name per fusion setting, so that two settings (two replicas mid-rollout) do not fight. */
export function pipelineName(index: string, fusion: FusionOptions): string {
  const hash = createHash('sha256')
    .update(JSON.stringify(pipelineBody(fusion)))
    .digest('hex')
    .slice(0, 12);
  return `${index}-${fusion.method}-${hash}`;
}
