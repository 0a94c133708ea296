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
  /**
   * The stored rows for `(source, id)` keys, and the feed's counter as it stood no later than
   * the rows were read: a writer that committed after the counter was read may show in the
   * rows, but one that committed after the rows were read shows in the counter.
   */
  load(
    db: Knex,
    table: FeedTable<object>,
    keys: string[][],
  ): Promise<{ counter: number; rows: any[] }>;
  /** Inserts the rows, or on `(source, idColumn)` overwrites the stored row with them. */
  upsert(
    tx: Knex.Transaction,
    table: FeedTable<object>,
    rows: object[],
  ): Promise<void>;
  /**
   * In one transaction of its own: if the feed's counter still stands at `counter`, claims
   * `count` numbers (`counter + 1` on) and upserts the rows; returns whether it did.
   */
  writeIfUnchanged(
    db: Knex,
    table: FeedTable<object>,
    counter: number,
    count: number,
    rows: object[],
  ): Promise<boolean>;
}

/** Query-builder statements, bounded in size (SQLite). */
const portableFeedWrites: FeedWrites = {
  async load(db, table, keys) {
    const { value } = await db('feed_counters')
      .where({ feed: table.name })
      .first('value');
    const rows: any[] = [];
    // One `IN` list per source keeps the unique index in use however large the table grows.
    for (const [source, ids] of idsBySource(keys)) {
      for (const chunk of chunks(ids)) {
        rows.push(
          ...(await db(table.name)
            .where('source', source)
            .whereIn(table.idColumn, chunk)),
        );
      }
    }
    return { counter: Number(value), rows };
  },
  async upsert(tx, table, rows) {
    await upsertInChunks(tx, table.name, rows, ['source', table.idColumn]);
  },
  async writeIfUnchanged(db, table, counter, count, rows) {
    return db.transaction(async tx => {
      const claimed = await tx('feed_counters')
        .where({ feed: table.name, value: counter })
        .increment('value', count);
      if (!claimed) return false;
      await upsertInChunks(tx, table.name, rows, ['source', table.idColumn]);
      return true;
    });
  },
};

/**
 * PostgreSQL: the statement text does not depend on the batch; each list of values is one
 * array parameter. Nothing grows with the batch or needs chunking, and the planner does not
 * meet a new statement for every batch size.
 */
const postgresFeedWrites: FeedWrites = {
  async load(db, table, keys) {
    const wanted = [...idsBySource(keys)].flatMap(([source, ids]) =>
      ids.map(id => [source, id]),
    );
    const { rows } = await runPostgres(db, table, 'load', [
      wanted.map(([source]) => source),
      wanted.map(([, id]) => id),
      table.name,
    ]);
    // The counter comes from the same statement, so from the same snapshot as the rows. Its
    // row stands alone (the table's columns NULL) when no key is stored yet.
    return {
      counter: Number(rows[0].feed_counter),
      rows: rows.filter((row: any) => row.id !== null),
    };
  },
  async upsert(tx, table, rows) {
    if (rows.length === 0) return;
    await runPostgres(tx, table, 'upsert', columnArrays(table, rows));
  },
  async writeIfUnchanged(db, table, counter, count, rows) {
    const result = await runPostgres(db, table, 'writeIfUnchanged', [
      count,
      table.name,
      counter,
      ...columnArrays(table, rows),
    ]);
    return result.rows[0].claimed;
  },
};

/** Column by column, in the order of `table.columns`; undefined is stored as NULL. */
function columnArrays(table: FeedTable<object>, rows: object[]) {
  return Object.keys(table.columns).map(column =>
    rows.map(row => (row as Record<string, unknown>)[column] ?? null),
  );
}

export function feedWritesFor(db: Knex): FeedWrites {
  return db.client.config.client === 'pg'
    ? postgresFeedWrites
    : portableFeedWrites;
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
  for (let i = 0; i < items.length; i += CHUNK)
    result.push(items.slice(i, i + CHUNK));
  return result;
}

type PostgresStatement = 'load' | 'upsert' | 'writeIfUnchanged';

const statementsByTable = new Map<Feeds, Record<PostgresStatement, string>>();

/**
 * Runs one of the statements below as a named prepared statement: each connection parses and
 * plans it once, not on every write (one of several would be planned anew every time: the
 * load statement takes 0.5-0.9 ms to plan). Needs a session per connection: behind PgBouncer
 * in transaction mode that means PgBouncer 1.21 or later with `max_prepared_statements` set.
 */
function runPostgres(
  db: Knex,
  table: FeedTable<object>,
  statement: PostgresStatement,
  bindings: unknown[],
) {
  return db
    .raw(postgresStatements(table)[statement], bindings as Knex.RawBinding[])
    .options({ name: `aiops_ingest_${statement}_${table.name}` });
}

/**
 * The lookup probes the `(source, id)` unique index once per key: the `LIMIT 1` subquery cannot
 * be merged into a join, and an equality on every column of a unique index is one row to any
 * planner. The obvious `WHERE source = ? AND id = ANY(?)` is as fast only while the table's
 * statistics are current: on a young or fast-growing table the planner takes the rows of the
 * source from the index and filters them (24 ms for 100 keys in 100,000 rows instead of 1 ms).
 * The upsert takes its rows from `unnest` of one array per column, cast to the column's type;
 * `writeIfUnchanged` is the same upsert in one statement with the conditional claim.
 */
function postgresStatements(table: FeedTable<object>) {
  let statements = statementsByTable.get(table.name);
  if (!statements) {
    const quoted = (name: string) => `"${name}"`;
    const columns = Object.entries(table.columns) as Array<[string, PgType]>;
    const conflict = ['source', table.idColumn];
    const names = (prefix: string) =>
      columns.map(([name]) => `${prefix}${quoted(name)}`).join(', ');
    const insert = (from: string) =>
      [
        `INSERT INTO ${quoted(table.name)} (${names('')})`,
        `SELECT unnested.* FROM ${from}unnest(`,
        columns.map(([, type]) => `?::${type}[]`).join(', '),
        ') AS unnested',
        `ON CONFLICT (${conflict.map(quoted).join(', ')}) DO UPDATE SET`,
        columns
          .filter(([name]) => !conflict.includes(name))
          .map(([name]) => `${quoted(name)} = excluded.${quoted(name)}`)
          .join(', '),
      ].join('\n');
    statements = {
      // Named columns, not `*`: a prepared statement whose result columns change (a migration
      // adding one while older replicas run) fails until its connection is replaced.
      load: [
        `SELECT feed_counters.value AS feed_counter, ${names(
          'stored.',
        )} FROM feed_counters`,
        '  LEFT JOIN (',
        '  unnest(?::text[], ?::text[]) AS wanted(source, id) CROSS JOIN LATERAL (',
        `    SELECT ${names('')} FROM ${quoted(table.name)}`,
        `    WHERE source = wanted.source AND ${quoted(
          table.idColumn,
        )} = wanted.id LIMIT 1`,
        '  ) AS stored',
        ') ON true WHERE feed_counters.feed = ?',
      ].join('\n'),
      upsert: insert(''),
      // The rows to write are joined to the claimed counter row: none if the counter moved.
      // The counter row stays locked until the statement's transaction commits.
      writeIfUnchanged: [
        'WITH claimed AS (',
        '  UPDATE feed_counters SET value = value + ?::bigint WHERE feed = ? AND value = ?::bigint',
        '  RETURNING value',
        '), written AS (',
        insert('claimed, '),
        ')',
        'SELECT count(*) > 0 AS claimed FROM claimed',
      ].join('\n'),
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
