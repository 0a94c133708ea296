import type { Knex } from 'knex';
import type { Feed } from '@aiops/plugin-aiops-common';
import { iso } from '@aiops/plugin-aiops-node';
import type { IncidentChange } from '../../service/routing/types';
import type { RoutingFailure } from '../NotificationStore';
import { insertTimeline, lockRows, type Db } from '../rows';
import { CHANGE_COLUMNS, changePage, toRecordedChange } from './changeFeed';

/*
 * Changes routing could not route (migration 20261204000000_routing_failures.js): the changes
 * routing reads, which are those not routed yet; each change's failures; and giving up a change
 * that kept failing, so its incident's later changes are routed.
 */

/** What is kept of an error: enough to tell the cause, bounded whatever threw it. */
const ERROR_CHARACTERS = 1_000;

/**
 * The change feed after `after` without what needs no routing: the changes not routed yet, in
 * feed order, leaving out those that wait behind an unrouted change of their incident at or
 * before `after` (left for later: they come again with it). Following this rather than the
 * whole feed, routing re-reads only what it left, however far back the oldest of it is.
 */
export async function readUnroutedChanges(
  db: Db,
  after: string,
  limit: number,
): Promise<Feed<IncidentChange>> {
  const rows = await db('incident_changes as c')
    .where('c.seq', '>', Number(after))
    .whereNull('c.routed_at')
    .whereNotExists(
      db('incident_changes as e')
        .select(db.raw('1'))
        .whereRaw('e.incident_id = c.incident_id')
        .whereNull('e.routed_at')
        .where('e.seq', '<=', Number(after)),
    )
    .orderBy('c.seq')
    .limit(limit)
    .select(...CHANGE_COLUMNS);
  return changePage(rows, after, toRecordedChange);
}

/**
 * Records that routing the change failed at `at`. `undefined` when it is routed (another
 * replica routed it meanwhile) or gone.
 */
export async function recordRoutingFailure(
  db: Knex,
  changeId: string,
  options: { at: string; error: string },
): Promise<RoutingFailure | undefined> {
  return db.transaction(async tx => {
    const [row] = await lockRows(
      tx,
      tx('incident_changes')
        .where('change_id', changeId)
        .select('routed_at', 'routing_failed_since', 'routing_failures'),
    );
    if (!row || row.routed_at) return undefined;
    const failure = {
      since: iso(row.routing_failed_since ?? options.at),
      failures: Number(row.routing_failures) + 1,
    };
    await tx('incident_changes')
      .where('change_id', changeId)
      .update({
        routing_failed_since: failure.since,
        routing_failures: failure.failures,
        routing_error: options.error.slice(0, ERROR_CHARACTERS),
      });
    return failure;
  });
}

/**
 * Gives up a change routing kept failing on: marks it routed with no messages, so its
 * incident's later changes are routed, and says so on the incident's timeline with the last
 * error, in one transaction. False when it was routed meanwhile.
 */
export async function giveUpRouting(
  db: Knex,
  change: IncidentChange,
  options: { at: string },
): Promise<boolean> {
  const at = iso(options.at);
  return db.transaction(async tx => {
    const [row] = await lockRows(
      tx,
      tx('incident_changes')
        .where('change_id', change.id)
        .select(
          'routed_at',
          'routing_failed_since',
          'routing_failures',
          'routing_error',
        ),
    );
    if (!row || row.routed_at) return false;
    await tx('incident_changes')
      .where('change_id', change.id)
      .update({ routed_at: at, claimed_until: null });
    const since = row.routing_failed_since ? iso(row.routing_failed_since) : at;
    await insertTimeline(tx, [
      {
        incidentId: change.incidentId,
        at,
        kind: 'notification',
        action: 'notification-unroutable',
        summary: givenUpSummary(change, {
          minutes: Math.round((Date.parse(at) - Date.parse(since)) / 60_000),
          failures: Number(row.routing_failures),
          error: row.routing_error ?? 'unknown error',
        }),
        actor: 'system',
        evidence: [],
        identity: ['notification-unroutable', change.id],
      },
    ]);
    return true;
  });
}

function givenUpSummary(
  change: IncidentChange,
  failing: { minutes: number; failures: number; error: string },
): string {
  return `Nobody was notified of the change "${change.kind}": routing it failed ${failing.failures} time(s) over ${failing.minutes} minute(s) and was given up (last error: ${failing.error}). The incident's later changes are routed.`;
}
