// @ts-check

/*
 * When a person last changed an incident's status (acknowledged, resolved, reopened, merged it),
 * on any replica. Correlation's engine reconciles its memory with the store's last word: with
 * this column each tick reads only the incidents people changed recently, instead of the
 * status of every incident it holds open (10,000 open incidents were 10,000 ids a tick).
 */

const INDEX = 'incidents_changed_by_person_at';

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.timestamp('changed_by_person_at', { useTz: true });
    table.index(['changed_by_person_at'], INDEX);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(['changed_by_person_at'], INDEX);
  });
  // Not knex's dropColumn: on SQLite it rebuilds the table (and its other indexes) for nothing.
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [
    'incidents',
    'changed_by_person_at',
  ]);
};
