import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import { bounded } from '../service/bounds';
import type { Evidence, TimelineEntryKind } from '@aiops/plugin-aiops-common';
import type {
  ChangeKind,
  EscalationStepRecord,
} from '../service/routing/types';

/** Keeps each statement well under SQLite's bound-parameter limit. */
const CHUNK = 200;

export type Db = Knex | Knex.Transaction;

export interface TimelineRow {
  incidentId: string;
  at: string;
  kind: TimelineEntryKind;
  action: string;
  summary: string;
  actor: string;
  evidence: Evidence[];
  /** Deterministic inputs of the entry id. */
  identity: unknown;
  /**
   * Set when the entry is news for the incident's owners: the change is recorded for routing
   * with the entry, under the entry's id, so a replayed entry records nothing twice.
   */
  change?: ChangeKind;
  escalation?: EscalationStepRecord;
}

/** Appends timeline entries (ignoring ones already stored) with the changes they carry. */
export async function insertTimeline(db: Db, entries: TimelineRow[]) {
  const rows = entries.map(entry => ({ entry, row: timelineRow(entry) }));
  await insertIgnore(
    db,
    'incident_timeline',
    rows.map(({ row }) => row),
  );
  await insertIgnore(
    db,
    'incident_changes',
    rows.flatMap(({ entry, row }) =>
      entry.change
        ? [
            {
              change_id: row.entry_id,
              incident_id: entry.incidentId,
              kind: entry.change,
              at: entry.at,
              escalation: entry.escalation
                ? JSON.stringify(entry.escalation)
                : null,
            },
          ]
        : [],
    ),
  );
}

function timelineRow(entry: TimelineRow) {
  return {
    entry_id: hashOf(entry.identity),
    incident_id: entry.incidentId,
    at: entry.at,
    kind: entry.kind,
    action: entry.action,
    summary: entry.summary,
    actor: entry.actor,
    // The entry is a log line; the full evidence lives on the incident's findings and alerts.
    evidence: JSON.stringify(bounded(entry.evidence)),
  };
}

export async function insertIgnore(db: Db, table: string, rows: object[]) {
  for (const chunk of chunks(rows)) {
    await db(table).insert(chunk).onConflict().ignore();
  }
}

export function hashOf(identity: unknown): string {
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

export function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK)
    result.push(items.slice(i, i + CHUNK));
  return result;
}

/** A timestamp as either database returns it: PostgreSQL a `Date`, SQLite the stored text. */
export function toDate(value: unknown): Date {
  const date = new Date(value as string | Date);
  if (Number.isNaN(date.getTime()))
    throw new InputError(`Invalid timestamp "${String(value)}"`);
  return date;
}

export function iso(value: unknown): string {
  return toDate(value).toISOString();
}

export function optionalIso(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : iso(value);
}

/**
 * Locks the selected rows where the database has row locks (SQLite has one writer instead).
 * `skipLocked`: rows another transaction holds are left out rather than waited for — how
 * concurrent claimers share work.
 */
export function lockRows<T extends Knex.QueryBuilder>(
  db: Db,
  builder: T,
  options: { skipLocked?: boolean } = {},
): T {
  if (db.client.config.client !== 'pg') return builder;
  const locked = builder.forUpdate();
  return (options.skipLocked ? locked.skipLocked() : locked) as T;
}
