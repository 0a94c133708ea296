import { severityRank, type EntityRef } from '@aiops/plugin-aiops-common';
import { iso, optionalIso } from '@aiops/plugin-aiops-node';
import {
  responseTimes,
  windowStats,
  type IncidentTimes,
  type UnresolvedCount,
  type WindowStats,
} from '../../service/incidentStats';
import { whereIncidentMatches } from '../incidentFilter';
import type { EntityIncidentHealth, HealthWindow } from '../IncidentStore';
import type { Db } from '../rows';
import { affecting, hydrate } from './reads';

/*
 * The read models of incident health: an entity's unresolved incidents, and counts and
 * response times by owner and system. The rows are read here; `service/incidentStats.ts`
 * computes.
 */

export async function entityHealth(
  db: Db,
  entityRef: EntityRef,
  options: HealthWindow,
): Promise<EntityIncidentHealth> {
  const [open, windowed] = await Promise.all([
    whereIncidentMatches(
      db('incidents')
        .whereIn('id', affecting(db, entityRef))
        .whereNot('status', 'resolved')
        .orderBy([
          { column: 'opened_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]),
      options.filter,
    ),
    openedWithin(db, options).whereIn('id', affecting(db, entityRef)),
  ]);
  // Severity order in JS rather than a CASE over SEVERITIES; the sort is stable, so newest
  // first still holds within one severity.
  open.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  return {
    open: await hydrate(db, open),
    ...responseTimes(windowed.map(toTimes)),
  };
}

export async function stats(
  db: Db,
  options: HealthWindow,
): Promise<WindowStats> {
  const [counts, windowed] = await Promise.all([
    whereIncidentMatches(
      db('incidents').whereIn('status', ['open', 'acknowledged']),
      options.filter,
    )
      .select('owner', 'system', 'status')
      .count({ n: '*' })
      .groupBy('owner', 'system', 'status'),
    openedWithin(db, options).select('owner', 'system'),
  ]);
  return windowStats(
    counts.map(
      (row: any): UnresolvedCount => ({
        ...toRefs(row),
        status: row.status,
        count: Number(row.n),
      }),
    ),
    windowed.map(row => ({ ...toTimes(row), ...toRefs(row) })),
  );
}

/** Incidents opened within the window, with the columns of `toTimes`. */
function openedWithin(db: Db, window: HealthWindow) {
  return whereIncidentMatches(
    db('incidents')
      .where('opened_at', '>=', iso(window.from))
      .where('opened_at', '<=', iso(window.to)),
    window.filter,
  ).select('opened_at', 'acknowledged_at', 'resolved_at', 'merged_into');
}

function toTimes(row: any): IncidentTimes {
  return {
    openedAt: iso(row.opened_at),
    acknowledgedAt: optionalIso(row.acknowledged_at),
    resolvedAt: optionalIso(row.resolved_at),
    merged: Boolean(row.merged_into),
  };
}

function toRefs(row: any) {
  return { owner: row.owner ?? null, system: row.system ?? null };
}
