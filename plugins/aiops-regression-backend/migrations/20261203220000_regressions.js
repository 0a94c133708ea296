// @ts-check

/*
 * The regression detector's own tables: the regressions it raised (with their status, so a
 * dismissed change is not raised again) and one run record per entity (when it was last
 * scanned and what could not be read). Both databases take the same schema; timestamps are
 * stored as timestamps and compared as such.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('regressions', table => {
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('metric', 255).notNullable();
    /** `increase` or `decrease`: dedup never merges a rise with a fall. */
    table.string('direction', 16).notNullable();
    table.timestamp('change_at', { useTz: true }).notNullable();
    table.timestamp('detected_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.double('before_mean').notNullable();
    table.integer('before_n').notNullable();
    table.double('after_mean').notNullable();
    table.integer('after_n').notNullable();
    /** Null when the level before was 0. */
    table.double('relative_change').nullable();
    table.double('p_value').notNullable();
    /** The versioned method that found it, e.g. `e-divisive-t@1`. */
    table.string('method', 64).notNullable();
    table.string('deployment_id', 255).nullable();
    /** active, acknowledged, dismissed or resolved. */
    table.string('status', 16).notNullable();
    table.string('status_by', 255).nullable();
    table.index(['entity_ref', 'metric', 'change_at'], 'regressions_change');
    table.index(['status'], 'regressions_status');
  });
  await knex.schema.createTable('regression_entity_runs', table => {
    table.string('entity_ref', 255).primary();
    table.timestamp('last_run_at', { useTz: true }).notNullable();
    /** The run read every metric it was asked for. */
    table.boolean('ok').notNullable();
    /** JSON: `[{metric, reason}]`, what could not be read or analysed, and why. */
    table.text('failures').notNullable();
    table.integer('regressions_raised').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('regression_entity_runs');
  await knex.schema.dropTable('regressions');
};
