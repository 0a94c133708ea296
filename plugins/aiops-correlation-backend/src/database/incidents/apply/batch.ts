import type { Knex } from 'knex';
import {
  chunks,
  insertRows,
  insertTimeline,
  type TimelineRow,
} from '../../rows';
import {
  alertKey,
  INCIDENT_ALERT_COLUMNS,
  MEMBER_ROLE,
  ROLE_KEYS,
  type RoleColumns,
} from '../rows';
import { storeMoves, type PendingMove } from './storeMoves';
import { lookUpExistence } from '../writes';

/**
 * What the steps of one batch share, and what they write only once at its end: timeline
 * entries (appended, never read back in the batch) and `updated_at` bumps. A storm's batch
 * then costs about one statement per attached alert instead of three.
 */
export interface BatchWrites {
  /** Redirects of earlier steps, so their later decisions reach the stored incident. */
  redirected: Record<string, string>;
  /** Whether an incident exists, as far as this batch has looked. */
  exists: Map<string, boolean>;
  timeline: TimelineRow[];
  /** Incident id → the time of the latest step that changed it. */
  changedAt: Map<string, string>;
  /** Role changes (suppressed, member again), in decision order, stored together at the end. */
  roles: Array<{
    incidentId: string;
    alertId: string;
    columns: RoleColumns;
    entry: TimelineRow;
  }>;
  /** Alerts moving between incidents, stored after the joins (`storeMoves`). */
  moves: PendingMove[];
  /** Alerts joining incidents, stored together at the end (one statement per chunk). */
  attaches: Array<{
    incidentId: string;
    alertId: string;
    rule: string;
    reason: string;
    entry: TimelineRow;
  }>;
}

export function emptyBatch(): BatchWrites {
  return {
    redirected: {},
    exists: new Map(),
    timeline: [],
    changedAt: new Map(),
    roles: [],
    attaches: [],
    moves: [],
  };
}

/** Remembers that an incident changed at `at`, keeping the latest time. */
export function noteChange(batch: BatchWrites, incidentId: string, at: string) {
  const latest = batch.changedAt.get(incidentId);
  if (!latest || latest < at) batch.changedAt.set(incidentId, at);
}

export async function flushBatch(tx: Knex.Transaction, batch: BatchWrites) {
  const unchanged = new Set([
    ...(await storeRoles(tx, batch)),
    ...(await storeAttaches(tx, batch)),
  ]);
  await storeMoves(tx, batch.moves);
  await insertTimeline(
    tx,
    await onStoredIncidents(
      tx,
      batch,
      batch.timeline.filter(entry => !unchanged.has(entry)),
    ),
  );
  const byTime = new Map<string, string[]>();
  for (const [id, at] of batch.changedAt)
    byTime.set(at, [...(byTime.get(at) ?? []), id]);
  for (const [at, ids] of byTime) {
    for (const chunk of chunks(ids)) {
      await tx('incidents')
        .whereIn('id', chunk)
        .where('updated_at', '<', at)
        .update({ updated_at: at });
    }
  }
}

/**
 * Stores the batch's joining alerts. A row that exists already (stored with its incident's
 * opening, or as suppressed) only gets its join rule filled in. Returns the timeline entries
 * of joins that changed nothing (a replay), which are left out; the others keep their place.
 */
async function storeAttaches(
  tx: Knex.Transaction,
  batch: BatchWrites,
): Promise<Set<TimelineRow>> {
  const pending = new Map<string, BatchWrites['attaches'][number]>();
  for (const attach of batch.attaches) {
    const k = alertKey(attach.incidentId, attach.alertId);
    if (!pending.has(k)) pending.set(k, attach);
  }
  // A row that exists already only gets its join rule filled in, in the same statement; rows
  // that were inserted or filled come back, the others (a replay) changed nothing.
  const written: Array<{ incident_id: string; alert_id: string }> =
    await insertRows(
      tx,
      'incident_alerts',
      INCIDENT_ALERT_COLUMNS,
      [...pending.values()].map(a => ({
        incident_id: a.incidentId,
        alert_id: a.alertId,
        ...MEMBER_ROLE,
        joined_rule: a.rule,
        joined_reason: a.reason,
        attached_at: a.entry.at,
      })),
      `ON CONFLICT (incident_id, alert_id) DO UPDATE SET
         joined_rule = excluded.joined_rule, joined_reason = excluded.joined_reason
       WHERE incident_alerts.joined_rule IS NULL
       RETURNING incident_id, alert_id`,
    );
  const stored = new Set(
    written.map(row => alertKey(row.incident_id, row.alert_id)),
  );
  const unchanged = new Set(batch.attaches.map(a => a.entry));
  for (const [k, attach] of pending) {
    if (!stored.has(k)) continue;
    unchanged.delete(attach.entry);
    noteChange(batch, attach.incidentId, attach.entry.at);
  }
  return unchanged;
}

/**
 * Stores the batch's role changes: the stored roles are read once, each change is compared
 * with the role before it (stored, or set earlier in the batch), and the final roles are
 * written together. Returns the timeline entries of changes that changed nothing, or nothing
 * but what suppresses an alert that stays suppressed for the same reason.
 */
async function storeRoles(
  tx: Knex.Transaction,
  batch: BatchWrites,
): Promise<Set<TimelineRow>> {
  const unchanged = new Set<TimelineRow>();
  if (batch.roles.length === 0) return unchanged;
  const current = new Map<string, RoleColumns>();
  const alertIds = [...new Set(batch.roles.map(r => r.alertId))];
  for (const chunk of chunks(alertIds)) {
    const rows = await tx('incident_alerts')
      .whereIn('alert_id', chunk)
      .select('incident_id', 'alert_id', ...ROLE_KEYS);
    for (const row of rows) {
      current.set(alertKey(row.incident_id, row.alert_id), {
        role: row.role,
        suppressed_reason: row.suppressed_reason ?? null,
        suppressed_by_alert_id: row.suppressed_by_alert_id ?? null,
        suppressed_by_silence_id: row.suppressed_by_silence_id ?? null,
        suppressed_rule: row.suppressed_rule ?? null,
      });
    }
  }
  const final = new Map<
    string,
    { incidentId: string; alertId: string; at: string; columns: RoleColumns }
  >();
  for (const change of batch.roles) {
    const k = alertKey(change.incidentId, change.alertId);
    const before = current.get(k);
    if (before && ROLE_KEYS.every(c => before[c] === change.columns[c])) {
      unchanged.add(change.entry);
      continue;
    }
    // Only who keeps it quiet changed (roots of a flapping incident take turns): the row
    // follows, the timeline does not — one entry per flip per symptom drowned everything else.
    if (
      before &&
      before.role === change.columns.role &&
      before.suppressed_reason === change.columns.suppressed_reason
    ) {
      unchanged.add(change.entry);
    }
    current.set(k, change.columns);
    final.set(k, {
      incidentId: change.incidentId,
      alertId: change.alertId,
      at: final.get(k)?.at ?? change.entry.at,
      columns: change.columns,
    });
    noteChange(batch, change.incidentId, change.entry.at);
  }
  await insertRows(
    tx,
    'incident_alerts',
    INCIDENT_ALERT_COLUMNS,
    [...final.values()].map(f => ({
      incident_id: f.incidentId,
      alert_id: f.alertId,
      attached_at: f.at,
      ...f.columns,
    })),
    `ON CONFLICT (incident_id, alert_id) DO UPDATE SET ${ROLE_KEYS.map(
      key => `${key} = excluded.${key}`,
    ).join(', ')}`,
  );
  return unchanged;
}

/**
 * The entries about incidents the store holds. A replica's state can name an incident that was
 * never stored (a move into it, say); its rows would break the foreign key, so the whole batch,
 * and every retry of it from the checkpoint: correlation would stop on that replica for good.
 * What the stored incidents record of it (the move away) is kept.
 */
async function onStoredIncidents(
  tx: Knex.Transaction,
  batch: BatchWrites,
  entries: TimelineRow[],
): Promise<TimelineRow[]> {
  const unsure = [...new Set(entries.map(entry => entry.incidentId))].filter(
    id => !batch.exists.get(id),
  );
  if (unsure.length > 0) await lookUpExistence(tx, unsure, batch.exists);
  return entries.filter(entry => batch.exists.get(entry.incidentId));
}
