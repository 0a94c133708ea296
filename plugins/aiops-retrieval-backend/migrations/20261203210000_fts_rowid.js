// @ts-check

/*
 * SQLite only: the FTS5 row of a document takes the document's rowid, so that replacing a
 * document deletes its FTS row by rowid (a lookup) instead of by incident_id (an UNINDEXED
 * column of the FTS table: a scan of the whole index on every write). Rows written before are
 * re-keyed. PostgreSQL's generated tsvector column needs nothing.
 */

/** @param {import('knex').Knex} knex */
const isPostgres = knex => knex.client.config.client === 'pg';

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (isPostgres(knex)) return;
  await knex.raw('DELETE FROM retrieval_documents_fts');
  await knex.raw(
    `INSERT INTO retrieval_documents_fts (rowid, incident_id, body)
       SELECT rowid, incident_id, body FROM retrieval_documents`,
  );
};

/**
 * Nothing to undo: rows keyed by the document's rowid are valid FTS rows either way.
 *
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};
