// @ts-check

/*
 * Narratives, every version of each incident's: the template's and the model's, accepted or
 * not. An incident's current narrative is its newest accepted one; a rejected model narrative
 * stays for audit with the grounding check's reasons. `pending` holds the incidents whose
 * changes wait for their debounce, so a restart narrates them still.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('narrator_narratives', table => {
    table.bigIncrements('id').primary();
    table.string('incident_id', 255).notNullable();
    /** `NarrativeDraft` as JSON: summary, impact, probableCause, evidence, whatChanged, suggestedActions. */
    table.text('sections').notNullable();
    /** `template`, or the model's name. */
    table.string('generated_by', 255).notNullable();
    /** `GroundingResult` as JSON, with the rejected claims and their problems. */
    table.text('grounding').notNullable();
    /** Shown as the incident's narrative: the template always, a model's only when grounded. */
    table.boolean('accepted').notNullable();
    /** Hash of the facts it was written from: the same facts are not narrated twice. */
    table.string('input_hash', 64).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['incident_id', 'id'], 'narrator_narratives_incident');
  });
  await knex.schema.createTable('narrator_pending', table => {
    table.string('incident_id', 255).primary();
    /** Epoch milliseconds: when its debounce ends. */
    table.bigInteger('due_at').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('narrator_pending');
  await knex.schema.dropTable('narrator_narratives');
};
