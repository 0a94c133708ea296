import type { HybridQuery, SearchFilters } from '@aiops/plugin-aiops-node';

/*
 * The search bodies the store sends, as plain data. Every value from a caller goes into a term,
 * terms, match or range clause as a value: nothing is parsed as query syntax.
 */

/** Candidates each clause of the hybrid query contributes before fusion. */
export const CLAUSE_CANDIDATES = 100;

const lower = (value: string) => value.toLowerCase();

/** The filters as clauses every list and the hybrid query apply. */
export function filterClauses(filters: SearchFilters = {}): object[] {
  const clauses: object[] = [];
  if (filters.entityRef)
    clauses.push({ term: { entityRefs: lower(filters.entityRef) } });
  if (filters.system) clauses.push({ term: { system: lower(filters.system) } });
  if (filters.owner) clauses.push({ term: { owner: lower(filters.owner) } });
  if (filters.from || filters.to)
    clauses.push({
      range: {
        openedAt: {
          ...(filters.from && { gte: filters.from }),
          ...(filters.to && { lt: filters.to }),
        },
      },
    });
  return clauses;
}

/** BM25 over the document's words: any of the query's words. */
export function lexicalClause(text: string): object {
  return text
    ? { match: { body: { query: text, operator: 'or' } } }
    : { match_none: {} };
}

/**
 * Incidents sharing entities, the root cause, alert names or the system; each shared key adds
 * to the score, the root cause counting most (as in the plugin's structural match).
 */
export function structuralClause(structure?: HybridQuery['structure']): object {
  if (!structure) return { match_none: {} };
  const should: object[] = [];
  if (structure.entityRefs.length)
    should.push({
      terms: { entityRefs: structure.entityRefs.map(lower), boost: 0.35 },
    });
  if (structure.rootCauseEntityRef)
    should.push({
      term: {
        rootCauseEntityRef: {
          value: lower(structure.rootCauseEntityRef),
          boost: 0.3,
        },
      },
    });
  if (structure.alertNames.length)
    should.push({
      terms: { alertNames: structure.alertNames, boost: 0.25 },
    });
  if (structure.system)
    should.push({
      term: { system: { value: lower(structure.system), boost: 0.1 } },
    });
  return should.length
    ? { bool: { should, minimum_should_match: 1 } }
    : { match_none: {} };
}

/** k-NN over vectors of the query's model only; none without a query vector. */
export function vectorClause(
  vector: Float32Array | undefined,
  model: string,
): object {
  if (!vector) return { match_none: {} };
  return {
    knn: {
      embedding: {
        vector: Array.from(vector),
        k: CLAUSE_CANDIDATES,
        filter: { term: { embeddingModel: model } },
      },
    },
  };
}

/**
 * The hybrid query: always the same three clauses in the same order (an absent signal is a
 * `match_none`, which adds nothing), so that one search pipeline with three weights serves every
 * query. The incident itself and the filters apply to all clauses.
 */
export function hybridSearchBody(query: HybridQuery): object {
  const filter = filterClauses(query.filters);
  const mustNot = query.excludeIncidentId
    ? [{ term: { incidentId: query.excludeIncidentId } }]
    : [];
  return {
    size: query.limit,
    _source: ['document', 'embedding', 'embeddingModel'],
    query: {
      hybrid: {
        queries: [
          lexicalClause(query.text),
          vectorClause(query.vector, query.model),
          structuralClause(query.structure),
        ],
        ...((filter.length || mustNot.length) && {
          filter: { bool: { filter, must_not: mustNot } },
        }),
      },
    },
  };
}

/** One list (lexical or structural) with the filters, best first. */
export function listSearchBody(
  clause: object,
  options: { limit: number; filters?: SearchFilters },
): object {
  return {
    size: options.limit,
    _source: false,
    query: { bool: { must: [clause], filter: filterClauses(options.filters) } },
  };
}
