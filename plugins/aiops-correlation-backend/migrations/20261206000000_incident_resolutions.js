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
  // Incidents resolved before: who resolved them is the actor of the last timeline entry that
  // resolved them (a person's resolve, correlation's, or a merge). Actor-less entries and the
  // rare incident without one were correlation's: `system`.
  await knex('incidents')
    .where('status', 'resolved')
    .update({
      resolved_by: knex.raw(
        `COALESCE((SELECT t.actor FROM incident_timeline t
          WHERE t.incident_id = incidents.id AND t.kind = 'status'
            AND t.action IN ('resolve', 'resolve-incident', 'merge')
          ORDER BY t.seq DESC LIMIT 1), 'system')`,
      ),
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
