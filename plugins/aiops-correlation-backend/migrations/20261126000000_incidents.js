// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incidents', table => {
    table.string('id', 64).primary();
    table.text('title').notNullable();
    table.string('status', 16).notNullable();
    table.string('severity', 16).notNullable();
    table.string('primary_entity_ref', 255);
    table.text('affected_entity_refs').notNullable();
    table.string('owner', 255);
    table.string('system', 255);
    table.string('correlation_key', 1024).notNullable();
    // Set to `correlation_key` while the incident is not resolved, NULL once it is. The unique
    // index makes opening idempotent across replicas; NULLs never collide (PG and SQLite).
    table.string('open_correlation_key', 1024);
    table.text('rule_versions').notNullable();
    table.text('root_cause_candidates').notNullable();
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('acknowledged_at', { useTz: true });
    table.timestamp('resolved_at', { useTz: true });
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['open_correlation_key']);
    table.index(['opened_at', 'id']);
    table.index(['status']);
    table.index(['owner']);
    table.index(['system']);
    table.index(['correlation_key']);
  });

  // Every entity an incident affects (primary included), for the entity filter.
  await knex.schema.createTable('incident_entities', table => {
    table
      .string('incident_id', 64)
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.primary(['incident_id', 'entity_ref']);
    table.index(['entity_ref']);
  });

  await knex.schema.createTable('incident_alerts', table => {
    table.bigIncrements('seq');
    table
      .string('incident_id', 64)
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('alert_id', 255).notNullable();
    /** `member` or `suppressed` */
    table.string('role', 16).notNullable();
    table.string('joined_rule', 64);
    table.text('joined_reason');
    table.string('suppressed_reason', 32);
    table.string('suppressed_by_alert_id', 255);
    table.string('suppressed_by_silence_id', 255);
    table.string('suppressed_rule', 64);
    table.timestamp('attached_at', { useTz: true }).notNullable();
    table.unique(['incident_id', 'alert_id']);
    table.index(['alert_id']);
  });

  await knex.schema.createTable('incident_findings', table => {
    table.bigIncrements('seq');
    table
      .string('incident_id', 64)
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('finding_key', 512).notNullable();
    table.string('rule', 64).notNullable();
    table.text('summary').notNullable();
    table.text('evidence').notNullable();
    table.double('confidence').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['incident_id', 'finding_key']);
  });

  // Append-only. `entry_id` is derived from what happened, so a replay inserts nothing.
  await knex.schema.createTable('incident_timeline', table => {
    table.bigIncrements('seq');
    table.string('entry_id', 64).notNullable();
    table
      .string('incident_id', 64)
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('kind', 16).notNullable();
    table.string('action', 32).notNullable();
    table.text('summary').notNullable();
    table.string('actor', 255);
    table.text('evidence').notNullable();
    table.unique(['entry_id']);
    table.index(['incident_id', 'seq']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'incident_timeline',
    'incident_findings',
    'incident_alerts',
    'incident_entities',
    'incidents',
  ]) {
    await knex.schema.dropTable(table);
  }
};
