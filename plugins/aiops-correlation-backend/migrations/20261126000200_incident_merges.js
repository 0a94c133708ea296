// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    // The incident this one was merged into; it is resolved then.
    table.string('merged_into', 64);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Not `table.dropColumn`: on SQLite knex rebuilds the table for it, and dropping the old
  // `incidents` inside the migration's transaction (where foreign keys cannot be switched off)
  // cascades into every child table. SQLite (3.35+) and PostgreSQL both drop a plain column.
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['incidents', 'merged_into']);
};
