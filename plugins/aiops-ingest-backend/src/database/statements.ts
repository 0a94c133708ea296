import type { Knex } from 'knex';

/**
 * The store's write statements. Query-builder statements work everywhere and are cut into
 * bounded chunks; on PostgreSQL the change feeds are written with fixed-shape statements
 * instead (`feedWritesFor`, the one place that looks at the database).
 */

/** Keeps each statement well under SQLite's bound-parameter limit. */
const CHUNK = 200;

export type Feeds = 'alerts' | 'deployments';

export type PgType = 'text' | 'timestamptz' | 'integer' | 'bigint';

/**
 * A change feed's table: rows are identified by `(source, idColumn)`; `columns` are the
 * written columns with their PostgreSQL types (the casts of the array parameters).
 */
export interface FeedTable<Row extends object> {
  name: Feeds;
  idColumn: string;
  columns: Record<keyof Row, PgType>;
}

/** The statements of a feed write that differ by database. */
export interface FeedWrites {
  /** The stored rows for `(source, id)` keys. */
  load(tx: Knex.Transaction, table: FeedTable<object>, keys: string[][]): Promise<any[]>;
  /** Inserts the rows, or on `(source, idColumn)` overwrites the stored row with them. */
  upsert(tx: Knex.Transaction, table: FeedTable<object>, rows: object[]): Promise<void>;
}

/** Query-builder statements, bounded in size (SQLite). */
const portableFeedWrites: FeedWrites = {
  async load(tx, table, keys) {
    const rows: any[] = [];
    // One `IN` list per source keeps the unique index in use however large the table grows.
    for (const [source, ids] of idsBySource(keys)) {
      for (const chunk of chunks(ids)) {
        rows.push(...(await tx(table.name).where('source', source).whereIn(table.idColumn, chunk)));
      }
    }
    return rows;
  },
  async upsert(tx, table, rows) {
    await upsertInChunks(tx, table.name, rows, ['source', table.idColumn]);
  },
};

/**
 * PostgreSQL: the statement text does not depend on the batch; each list of values is one
 * array parameter. Nothing grows with the batch or needs chunking, the planner does not meet
 * a new statement for every batch size, and the lookup stays an index scan on
 * `(source, id)` however stale the table's statistics are.
 */
const postgresFeedWrites: FeedWrites = {
  async load(tx, table, keys) {
    const rows: any[] = [];
    for (const [source, ids] of idsBySource(keys)) {
      rows.push(...(await tx.raw(postgresStatements(table).load, [source, ids])).rows);
    }
    return rows;
  },
  async upsert(tx, table, rows) {
    if (rows.length === 0) return;
    // Column by column, in the order of `table.columns`; undefined is stored as NULL.
    const values = Object.keys(table.columns).map(column =>
      rows.map(row => (row as Record<string, unknown>)[column] ?? null),
    );
    await tx.raw(postgresStatements(table).upsert, values);
  },
};

export function feedWritesFor(db: Knex): FeedWrites {
  return db.client.config.client === 'pg' ? postgresFeedWrites : portableFeedWrites;
}

/**
 * Takes `count` sequence numbers of a feed in one round trip (the lock is held from here to
 * commit, so every statement counts). Returns the first.
 */
export async function claimSequence(
  tx: Knex.Transaction,
  feed: Feeds,
  count: number,
): Promise<number> {
  const [row] = await tx('feed_counters')
    .where({ feed })
    .increment('value', count)
    .returning('value');
  return Number(row.value) - count + 1;
}

/**
 * Inserts rows in bounded statements; on the conflict columns an existing row takes the new
 * values, or the given `merge` expressions.
 */
export async function upsertInChunks(
  tx: Knex.Transaction,
  table: string,
  rows: object[],
  conflictColumns: string[],
  merge?: Record<string, Knex.Raw>,
) {
  for (const chunk of chunks(rows)) {
    await tx(table).insert(chunk).onConflict(conflictColumns).merge(merge);
  }
}

export function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) result.push(items.slice(i, i + CHUNK));
  return result;
}

const statementsByTable = new Map<Feeds, { load: string; upsert: string }>();

/**
 * `SELECT … WHERE source = ? AND id = ANY(?::text[])` and
 * `INSERT … SELECT * FROM unnest(?::text[], ?::timestamptz[], …) ON CONFLICT … DO UPDATE`.
 */
function postgresStatements(table: FeedTable<object>) {
  let statements = statementsByTable.get(table.name);
  if (!statements) {
    const quoted = (name: string) => `"${name}"`;
    const columns = Object.entries(table.columns) as Array<[string, PgType]>;
    const conflict = ['source', table.idColumn];
    statements = {
      load: [
        `SELECT * FROM ${quoted(table.name)}`,
        `WHERE source = ? AND ${quoted(table.idColumn)} = ANY(?::text[])`,
      ].join(' '),
      upsert: [
        `INSERT INTO ${quoted(table.name)} (${columns.map(([name]) => quoted(name)).join(', ')})`,
        `SELECT * FROM unnest(${columns.map(([, type]) => `?::${type}[]`).join(', ')})`,
        `ON CONFLICT (${conflict.map(quoted).join(', ')}) DO UPDATE SET`,
        columns
          .filter(([name]) => !conflict.includes(name))
          .map(([name]) => `${quoted(name)} = excluded.${quoted(name)}`)
          .join(', '),
      ].join(' '),
    };
    statementsByTable.set(table.name, statements);
  }
  return statements;
}

function idsBySource(keys: string[][]): Map<string, string[]> {
  const ids = new Map<string, Set<string>>();
  for (const [source, id] of keys) {
    if (!ids.has(source)) ids.set(source, new Set());
    ids.get(source)!.add(id);
  }
  return new Map([...ids].map(([source, set]) => [source, [...set]]));
}
