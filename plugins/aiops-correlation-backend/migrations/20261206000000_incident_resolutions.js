// @ts-check

/*
 * How an incident was resolved: who resolved it (a person, `system` for correlation's own
 * resolves) and what people recorded about the fix, a note and a postmortem link. Past-incident
 * retrieval shows how similar incidents were fixed from these. Cleared when the incident
 * reopens; its timeline keeps what was recorded.
 */

const COLUMNS = ['resolved_by', 'resolution_note', 'resolution_postmortem_url'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.text('resolved_by');
    table.text('resolution_note');
    table.text('resolution_postmortem_url');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Not knex's dropColumn: on SQLite it rebuilds the table (and its indexes) for nothing.
  for (const column of COLUMNS) {
    await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['incidents', column]);
  }
};
