import type { Knex } from 'knex';
import type { Finding, ResolutionInput } from '@aiops/plugin-aiops-common';
import { findingIsNews } from '../../service/timelineNews';
import { chunks, insertIgnore, type Db } from '../rows';
import {
  fromFinding,
  NO_RESOLUTION,
  resolutionColumns,
  sameFinding,
  toFinding,
} from './rows';

/*
 * Writes that both correlation's decisions and people's actions make: guarded status changes,
 * findings and affected entities.
 */

/** Records in `exists` whether each incident is stored. */
export async function lookUpExistence(
  tx: Knex.Transaction,
  ids: string[],
  exists: Map<string, boolean>,
) {
  const unique = [...new Set(ids)];
  for (const chunk of chunks(unique)) {
    const rows = await tx('incidents').whereIn('id', chunk).select('id');
    const found = new Set(rows.map(row => row.id));
    for (const id of chunk) exists.set(id, found.has(id));
  }
}

export async function insertEntities(
  db: Db,
  incidentId: string,
  refs: string[],
) {
  await insertIgnore(
    db,
    'incident_entities',
    refs.map(ref => ({ incident_id: incidentId, entity_ref: ref })),
  );
}

/**
 * Stores a finding under its key: `changed` when it was new or different, `news` when the
 * change is worth a timeline entry (`findingIsNews`).
 */
export async function upsertFinding(
  tx: Knex.Transaction,
  incidentId: string,
  key: string,
  finding: Finding,
  now: string,
): Promise<{ changed: boolean; news: boolean }> {
  const current = await tx('incident_findings')
    .where({ incident_id: incidentId, finding_key: key })
    .first();
  const before = current && toFinding(current);
  if (before && sameFinding(before, finding)) {
    return { changed: false, news: false };
  }
  await tx('incident_findings')
    .insert(fromFinding(incidentId, key, finding, now))
    .onConflict(['incident_id', 'finding_key'])
    .merge(['rule', 'summary', 'evidence', 'confidence', 'updated_at']);
  return { changed: true, news: findingIsNews(before, finding) };
}

/**
 * Resolves an incident unless it is resolved, by `resolvedBy` (a person, or correlation's
 * actor), with what they recorded about the fix; the number of rows changed.
 */
export function resolveUnresolved(
  tx: Knex.Transaction,
  id: string,
  at: string,
  resolvedBy: string,
  resolution?: ResolutionInput,
) {
  return tx('incidents')
    .where({ id })
    .whereNot('status', 'resolved')
    .update({
      status: 'resolved',
      resolved_at: at,
      resolved_by: resolvedBy,
      ...resolutionColumns(resolution),
      open_correlation_key: null,
      updated_at: at,
    });
}

/**
 * Reopens a resolved incident, taking its correlation key back, unless it was merged (its
 * alerts belong to the target) or another unresolved incident holds the key (the unique index
 * would refuse it); those say why nothing changed. `resolvedBy`: only if resolved by then.
 */
export async function reopenResolved(
  tx: Knex.Transaction,
  id: string,
  at: string,
  options: { resolvedBy?: string } = {},
): Promise<{ updated: number; mergedInto?: string; keyHeldBy?: string }> {
  const row = await tx('incidents')
    .where({ id, status: 'resolved' })
    .first('correlation_key', 'merged_into');
  if (!row) return { updated: 0 };
  if (row.merged_into) return { updated: 0, mergedInto: row.merged_into };
  const holder = await tx('incidents')
    .where('open_correlation_key', row.correlation_key)
    .first('id');
  if (holder) return { updated: 0, keyHeldBy: holder.id };
  const updated = await tx('incidents')
    .where({ id, status: 'resolved' })
    .modify(query => {
      if (options.resolvedBy)
        query.where('resolved_at', '<=', options.resolvedBy);
    })
    .update({
      status: 'open',
      resolved_at: null,
      // The timeline keeps how it was resolved; the incident no longer is.
      ...NO_RESOLUTION,
      acknowledged_at: null,
      open_correlation_key: row.correlation_key,
      updated_at: at,
    });
  return { updated };
}
