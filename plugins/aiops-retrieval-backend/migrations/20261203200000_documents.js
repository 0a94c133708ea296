// @ts-check

/*
 * The retrieval index: one document per incident with its embedding, the keys structural
 * candidates are found by, and the lexical index — SQLite FTS5 on SQLite, a generated
 * `tsvector` column with a GIN index on PostgreSQL (no pgvector needed: vectors are Float32
 * bytes scored in the backend).
 */

/** @param {import('knex').Knex} knex */
const isPostgres = knex => knex.client.config.client === 'pg';

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('retrieval_documents', table => {
    table.string('incident_id', 255).primary();
    table.text('title').notNullable();
    table.string('status', 32).notNullable();
    /** Lower-case refs, for the search filters. */
    table.string('owner', 255).nullable();
    table.string('system', 255).nullable();
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    /** `IncidentDocument` as JSON. */
    table.text('document').notNullable();
    /** The document's tokens, space-separated: what the lexical index reads. */
    table.text('body').notNullable();
    /** Float32, little-endian; null when the embedder failed. */
    table.binary('vector').nullable();
    /** The embedder's model and version; vectors of another model are never compared. */
    table.string('model', 255).nullable();
    table.timestamp('indexed_at', { useTz: true }).notNullable();
    table.index(['owner'], 'retrieval_documents_owner');
    table.index(['system'], 'retrieval_documents_system');
    table.index(['opened_at'], 'retrieval_documents_opened_at');
    table.index(['model'], 'retrieval_documents_model');
  });
  await knex.schema.createTable('retrieval_document_keys', table => {
    table.string('incident_id', 255).notNullable();
    /** `entity` (a ref) or `alert` (an alert name). */
    table.string('kind', 16).notNullable();
    table.string('value', 255).notNullable();
    table.primary(['kind', 'value', 'incident_id']);
    table.index(['incident_id'], 'retrieval_document_keys_incident');
  });
  if (isPostgres(knex)) {
    await knex.raw(
      `ALTER TABLE retrieval_documents ADD COLUMN body_tsv tsvector
         GENERATED ALWAYS AS (to_tsvector('english', body)) STORED`,
    );
    await knex.raw(
      'CREATE INDEX retrieval_documents_body_tsv ON retrieval_documents USING GIN (body_tsv)',
    );
  } else {
    // Kept by the store in the same transaction as the document.
    await knex.raw(
      `CREATE VIRTUAL TABLE retrieval_documents_fts USING fts5(
         incident_id UNINDEXED, body, tokenize = 'porter unicode61')`,
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (!isPostgres(knex))
    await knex.raw('DROP TABLE IF EXISTS retrieval_documents_fts');
  await knex.schema.dropTable('retrieval_document_keys');
  await knex.schema.dropTable('retrieval_documents');
};
