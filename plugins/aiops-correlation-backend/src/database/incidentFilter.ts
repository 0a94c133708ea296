import type { Knex } from 'knex';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { IncidentPermissionQuery } from '@aiops/plugin-aiops-node';

/**
 * A conditional permission decision on incidents in the form the store filters by (the rules'
 * `toQuery`, combined with allOf/anyOf/not), for reads that aggregate in SQL (counts, response
 * times) and so cannot check each incident afterwards.
 */
export type IncidentFilter = PermissionCriteria<IncidentPermissionQuery>;

/** Adds `filter` to `query` on the `incidents` table as one parenthesised condition. */
export function whereIncidentMatches<Query extends Knex.QueryBuilder>(
  query: Query,
  filter: IncidentFilter | undefined,
): Query {
  return filter
    ? (query.where(inner => matches(inner, filter)) as Query)
    : query;
}

function matches(builder: Knex.QueryBuilder, filter: IncidentFilter): void {
  if (isAndCriteria(filter)) {
    for (const part of filter.allOf) {
      builder.andWhere(inner => matches(inner, part));
    }
  } else if (isOrCriteria(filter)) {
    for (const part of filter.anyOf) {
      builder.orWhere(inner => matches(inner, part));
    }
  } else if (isNotCriteria(filter)) {
    builder.whereNot(inner => matches(inner, filter.not));
  } else {
    // As `isIncidentOwner` compares: case-insensitively, and no owner matches no one (also
    // under `not`, hence the explicit null check rather than SQL's unknown).
    builder
      .whereNotNull('owner')
      .whereIn(builder.client.raw('lower(??)', ['owner']), filter.values);
  }
}
