import { InputError } from '@backstage/errors';
import type { AiopsRetrievalApi } from '@aiops/plugin-aiops-common';
import { jsonValueProblem } from '@aiops/plugin-aiops-node';
import type { SearchFilters } from './database/RetrievalStore';

const EARLIEST_MS = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

function timestamp(name: 'from' | 'to', value: string | undefined) {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  // The spec's `date-time` admits years PostgreSQL refuses; a 400 naming the field, not a 500.
  if (Number.isNaN(ms) || ms < EARLIEST_MS || ms > LATEST_MS)
    throw new InputError(
      `${name} must be an RFC 3339 timestamp in the years 0001 to 9999`,
    );
  return new Date(ms).toISOString();
}

/**
 * A search body the spec accepted (lengths, types, no unknown fields), checked for what the
 * spec cannot say: no NUL characters or lone surrogates (PostgreSQL refuses them), times in a
 * range every database stores.
 */
export function readSearchRequest(body: AiopsRetrievalApi.SearchRequest): {
  query: string;
  filters: SearchFilters;
  k: number;
} {
  const problem = jsonValueProblem(body);
  if (problem) throw new InputError(problem);
  return {
    query: body.query,
    filters: {
      entityRef: body.entityRef || undefined,
      system: body.system || undefined,
      owner: body.owner || undefined,
      from: timestamp('from', body.from),
      to: timestamp('to', body.to),
    },
    k: body.k ?? 10,
  };
}
