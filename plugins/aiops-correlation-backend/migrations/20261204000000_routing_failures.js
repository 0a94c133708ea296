// @ts-check

/*
 * Changes that fail to route. A change's failures are kept with it (since when, how often, the
 * last error), so that one failing for longer than `aiops.routing.routingRetryLimit` is given
 * up whichever replica tries it, and however often the backend restarted meanwhile. Routing
 * reads only the changes not routed yet (by feed order, with this partial index) rather than
 * the whole feed since the oldest of them.
 */

const INDEX = 'incident_changes_unrouted_seq';
const COLUMNS = ['routing_failed_since', 'routing_failures', 'routing_error'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incident_changes', table => {
    /** When routing it first failed; NULL while it has not. */
    table.timestamp('routing_failed_since', { useTz: true });
    table.integer('routing_failures').notNullable().defaultTo(0);
    table.text('routing_error');
    table.index(['seq'], INDEX, { predicate: knex.whereNull('routed_at') });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_changes', table => {
    table.dropIndex(['seq'], INDEX);
  });
  // Not knex's dropColumn: on SQLite it rebuilds the table, without the feed's trigger.
  for (const column of COLUMNS) {
    await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [
      'incident_changes',
      column,
    ]);
  }
};
