// @ts-check

/*
 * The lexical index matches the tokenizer's terms exactly (no stemming), so that the term
 * counts (`retrieval_terms`) are what a query's terms really match: a query then reads a
 * bounded number of postings (issue 25's benchmark). The embedding's character n-grams keep
 * what stemming gave (`eviction` near `evictions`).
 *
 * PostgreSQL: the tsvector (`simple` configuration) moves to a narrow table of its own with
 * the GIN index, so that matching and ranking read small rows rather than the documents' wide
 * ones (their JSON and vector). SQLite: the FTS5 table is rebuilt with `unicode61` alone.
 */

/** @param {import('knex').Knex} knex */
const isPostgres = knex => knex.client.config.client === 'pg';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (isPostgres(knex)) {
    await knex.schema.createTable('retrieval_lexical', table => {
      table
        .string('incident_id', 255)
        .primary()
        .references('incident_id')
        .inTable('retrieval_documents')
        .onDelete('CASCADE');
      table.specificType('body_tsv', 'tsvector').notNullable();
    });
    await knex.raw(
      `INSERT INTO retrieval_lexical (incident_id, body_tsv)
         SELECT incident_id, to_tsvector('simple', body) FROM retrieval_documents`,
    );
    await knex.raw(
      'CREATE INDEX retrieval_lexical_body_tsv ON retrieval_lexical USING GIN (body_tsv)',
    );
    await knex.raw('ALTER TABLE retrieval_documents DROP COLUMN body_tsv');
    return;
  }
  await knex.raw('DROP TABLE retrieval_documents_fts');
  await knex.raw(
    `CREATE VIRTUAL TABLE retrieval_documents_fts USING fts5(
       incident_id UNINDEXED, body, tokenize = 'unicode61')`,
  );
  await knex.raw(
    `INSERT INTO retrieval_documents_fts (rowid, incident_id, body)
       SELECT rowid, incident_id, body FROM retrieval_documents`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (isPostgres(knex)) {
    await knex.raw(
      `ALTER TABLE retrieval_documents ADD COLUMN body_tsv tsvector
         GENERATED ALWAYS AS (to_tsvector('english', body)) STORED`,
    );
    await knex.raw(
      'CREATE INDEX retrieval_documents_body_tsv ON retrieval_documents USING GIN (body_tsv)',
    );
    await knex.schema.dropTable('retrieval_lexical');
    return;
  }
  await knex.raw('DROP TABLE retrieval_documents_fts');
  await knex.raw(
    `CREATE VIRTUAL TABLE retrieval_documents_fts USING fts5(
       incident_id UNINDEXED, body, tokenize = 'porter unicode61')`,
  );
  await knex.raw(
    `INSERT INTO retrieval_documents_fts (rowid, incident_id, body)
       SELECT rowid, incident_id, body FROM retrieval_documents`,
  );
};
