import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  decodeTimeAndIdCursor,
  encodeTimeAndIdCursor,
  type TimeAndId,
} from '@aiops/plugin-aiops-node';
import { bounded } from '../service/bounds';
import type {
  Evidence,
  Page,
  TimelineEntryKind,
} from '@aiops/plugin-aiops-common';
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

/** Column types of the tables written with `insertRows` (PostgreSQL casts of its arrays). */
export type ColumnTypes = Record<string, 'text' | 'timestamptz'>;

const TIMELINE_COLUMNS: ColumnTypes = {
  entry_id: 'text',
  incident_id: 'text',
  at: 'timestamptz',
  kind: 'text',
  action: 'text',
  summary: 'text',
  actor: 'text',
  evidence: 'text',
};

const CHANGE_COLUMNS: ColumnTypes = {
  change_id: 'text',
  incident_id: 'text',
  kind: 'text',
  at: 'timestamptz',
  escalation: 'text',
};

/** Appends timeline entries (ignoring ones already stored) with the changes they carry. */
export async function insertTimeline(db: Db, entries: TimelineRow[]) {
  const rows = entries.map(entry => ({ entry, row: timelineRow(entry) }));
  await insertRows(
    db,
    'incident_timeline',
    TIMELINE_COLUMNS,
    rows.map(({ row }) => row),
    'ON CONFLICT DO NOTHING',
  );
  await insertRows(
    db,
    'incident_changes',
    CHANGE_COLUMNS,
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
    'ON CONFLICT DO NOTHING',
  );
}

/**
 * `INSERT INTO table (columns) <rows> <suffix>`, where `suffix` is an `ON CONFLICT …` and
 * optionally `RETURNING …` clause valid on both databases. On PostgreSQL the rows are one
 * array parameter per column, unnested in order: the statement text and plan do not depend on
 * how many rows there are, and a batch's hundreds of rows are not thousands of parameters to
 * bind. Elsewhere they are multi-row `VALUES` in bounded chunks. Returns the returned rows.
 */
export async function insertRows(
  db: Db,
  table: string,
  columns: ColumnTypes,
  rows: Array<Record<string, unknown>>,
  suffix: string,
): Promise<any[]> {
  if (rows.length === 0) return [];
  const names = Object.keys(columns);
  const list = names.map(name => `"${name}"`).join(', ');
  const valueOf = (row: Record<string, unknown>, name: string) =>
    (row[name] ?? null) as Knex.Value;
  if (db.client.config.client === 'pg') {
    const arrays = names.map(name => `?::${columns[name]}[]`);
    const result = await db.raw(
      `INSERT INTO "${table}" (${list}) SELECT ${list} FROM unnest(${arrays.join(
        ', ',
      )}) WITH ORDINALITY AS r(${list}, ord) ORDER BY ord ${suffix}`,
      names.map(name => rows.map(row => valueOf(row, name))) as Knex.Value[],
    );
    return result.rows;
  }
  const returned: any[] = [];
  for (const chunk of chunks(rows)) {
    const placeholders = chunk
      .map(() => `(${names.map(() => '?').join(', ')})`)
      .join(', ');
    const result = await db.raw(
      `INSERT INTO "${table}" (${list}) VALUES ${placeholders} ${suffix}`,
      chunk.flatMap(row => names.map(name => valueOf(row, name))),
    );
    if (Array.isArray(result)) returned.push(...result);
  }
  return returned;
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

/**
 * A page of `table`'s rows matching `where`, newest first by the timestamp `column` (ties by
 * id), after the page `query.cursor` ended (keyset paging). `toItems` maps the page's rows;
 * `keyOf` gives an item's key for the next page's cursor.
 */
export async function newestFirstPage<T>(
  db: Db,
  page: {
    table: string;
    column: string;
    query: { limit: number; cursor?: string };
    where: (builder: Knex.QueryBuilder) => void;
    toItems: (rows: any[]) => T[] | Promise<T[]>;
    keyOf: (item: T) => TimeAndId;
  },
): Promise<Page<T>> {
  const { column, query } = page;
  const cursor = query.cursor ? decodeTimeAndIdCursor(query.cursor) : undefined;
  const rows = await db(page.table)
    .modify(builder => {
      page.where(builder);
      if (cursor)
        builder.where(older =>
          older
            .where(column, '<', cursor.at)
            .orWhere(tie =>
              tie.where(column, cursor.at).where('id', '<', cursor.id),
            ),
        );
    })
    .orderBy([
      { column, order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(query.limit + 1);
  const items = await page.toItems(rows.slice(0, query.limit));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > query.limit && last
        ? encodeTimeAndIdCursor(page.keyOf(last))
        : undefined,
  };
}
