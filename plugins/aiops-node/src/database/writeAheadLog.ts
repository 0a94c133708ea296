/** The part of a knex client `useWriteAheadLog` needs (this package does not depend on knex). */
export interface SqlClient {
  client: { config: { client?: unknown } };
  raw(sql: string): PromiseLike<unknown>;
}

/**
 * On a SQLite file, switches the journal to write-ahead logging. A commit then costs one sync of
 * the log instead of the several a rollback journal needs, and readers no longer block the
 * writer; synchronous commits stay on (`synchronous = FULL`), so an acknowledged write is as
 * durable as before. The mode is kept in the database file; in-memory databases ignore it,
 * and other databases are left alone.
 */
export async function useWriteAheadLog(db: SqlClient): Promise<void> {
  const dialect = db.client.config.client;
  if (dialect === 'better-sqlite3' || dialect === 'sqlite3') {
    await db.raw('PRAGMA journal_mode = WAL');
  }
}
