// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // The worst severity an incident has had: raising it beyond that is news, replays are not.
  await knex.schema.alterTable('incidents', table => {
    table.string('peak_severity', 16);
  });
  await knex('incidents').update({ peak_severity: knex.ref('severity') });

  // Incident changes worth telling owners about, written with their timeline entry (same id),
  // so routing sees each change exactly once however many replicas recorded it.
  await knex.schema.createTable('incident_changes', table => {
    table.string('change_id', 64).primary();
    table
      .string('incident_id', 64)
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('kind', 32).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    /** JSON of the escalation step, for `escalated` */
    table.text('escalation');
    /** Set once routing turned the change into deliveries. */
    table.timestamp('routed_at', { useTz: true });
    /** A router's lease: another replica leaves the change alone until it expires. */
    table.timestamp('claimed_until', { useTz: true });
    table.index(['routed_at', 'at']);
  });

  // The outbox: one row per message to send, or per digest of messages held by the rate limit.
  await knex.schema.createTable('notification_deliveries', table => {
    table.bigIncrements('seq');
    table.string('id', 64).notNullable().unique();
    /** `message` or `digest` */
    table.string('kind', 16).notNullable();
    table
      .string('incident_id', 64)
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('change_id', 64);
    /** When the change happened (a digest: when its window ends); orders one target's messages. */
    table.timestamp('change_at', { useTz: true }).notNullable();
    table.string('channel', 16).notNullable();
    table.string('target', 512).notNullable();
    table.string('recipient_group', 255).notNullable();
    /** JSON `IncidentMessage`; NULL for a digest, which is built from its held rows. */
    table.text('message');
    /** `pending`, `delivered`, `dead`, `held` (waiting for its digest) or `digested` */
    table.string('status', 16).notNullable();
    table.string('digest_id', 64);
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).notNullable();
    /** A sender's lease, as for changes. */
    table.timestamp('claimed_until', { useTz: true });
    table.text('last_error');
    table.timestamp('delivered_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['status', 'next_attempt_at']);
    table.index(['incident_id', 'channel', 'target']);
    table.index(['recipient_group', 'channel', 'target', 'created_at']);
    table.index(['digest_id']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('notification_deliveries');
  await knex.schema.dropTable('incident_changes');
  // A plain DROP COLUMN, not knex's table rebuild on SQLite (see 20261126000200_incident_merges).
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [
    'incidents',
    'peak_severity',
  ]);
};
