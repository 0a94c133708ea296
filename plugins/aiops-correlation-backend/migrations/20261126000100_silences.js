// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('silences', table => {
    table.string('id', 64).primary();
    /** JSON array of `{ name, value, op }` */
    table.text('matchers').notNullable();
    // The first occurrence; later ones follow `rrule` with the same duration.
    table.timestamp('starts_at', { useTz: true }).notNullable();
    table.timestamp('ends_at', { useTz: true }).notNullable();
    table.text('rrule');
    table.text('comment').notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    // End of the last occurrence; NULL while the rule recurs forever.
    table.timestamp('expires_at', { useTz: true });
    table.timestamp('expired_at', { useTz: true });
    table.string('expired_by', 255);
    table.index(['created_at', 'id']);
    table.index(['expires_at']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('silences');
};
