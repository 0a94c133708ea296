// @ts-check

/**
 * A change event (PagerDuty) says what changed in a sentence rather than a version: the
 * sentence is kept with the deployment so correlation can show it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.text('summary');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.dropColumn('summary');
  });
};
