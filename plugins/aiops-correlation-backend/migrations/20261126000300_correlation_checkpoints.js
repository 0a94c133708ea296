// @ts-check

/**
 * Correlation keeps its working state in memory; a checkpoint lets a restarted instance resume
 * from the feed cursors it had reached instead of replaying all of ingest's history.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('correlation_checkpoints', table => {
    table.string('id', 64).primary();
    table.bigInteger('alert_cursor').notNullable();
    table.bigInteger('deployment_cursor').notNullable();
    // The core's CorrelationState as JSON.
    table.text('state', 'longtext').notNullable();
    table.timestamp('saved_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('correlation_checkpoints');
};
