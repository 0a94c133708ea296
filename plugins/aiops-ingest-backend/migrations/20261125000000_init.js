// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // One row per change feed; writers take its row lock for the rest of their transaction, so
  // sequence numbers are handed out in commit order and a reader never skips a late commit.
  await knex.schema.createTable('feed_counters', table => {
    table.string('feed', 32).primary();
    table.bigInteger('value').notNullable().defaultTo(0);
  });
  await knex('feed_counters').insert([
    { feed: 'alerts', value: 0 },
    { feed: 'deployments', value: 0 },
  ]);

  await knex.schema.createTable('alerts', table => {
    table.string('id', 36).primary();
    table.string('source', 32).notNullable();
    table.string('fingerprint', 255).notNullable();
    table.string('status', 16).notNullable();
    table.string('severity', 16).notNullable();
    table.text('title').notNullable();
    table.text('description');
    table.text('labels').notNullable();
    table.text('annotations').notNullable();
    table.string('entity_ref', 255);
    table.string('owner', 255);
    table.string('system', 255);
    table.text('resolution').notNullable();
    table.timestamp('starts_at', { useTz: true }).notNullable();
    table.timestamp('ends_at', { useTz: true });
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.integer('delivery_count').notNullable();
    table.text('generator_url');
    table.bigInteger('seq').notNullable();
    table.unique(['source', 'fingerprint']);
    table.unique(['seq']);
    table.index(['entity_ref', 'seq']);
    table.index(['status', 'ends_at']);
  });

  await knex.schema.createTable('deployments', table => {
    table.string('id', 36).primary();
    table.string('source', 32).notNullable();
    table.string('external_id', 512).notNullable();
    table.string('entity_ref', 255);
    table.string('owner', 255);
    table.string('system', 255);
    table.text('resolution').notNullable();
    table.text('labels').notNullable();
    table.string('environment', 255).notNullable();
    table.string('version', 255).notNullable();
    table.string('previous_version', 255);
    table.string('status', 16).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true });
    table.text('url');
    table.string('commit', 255);
    table.string('actor', 255);
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.bigInteger('seq').notNullable();
    table.unique(['source', 'external_id']);
    table.unique(['seq']);
    table.index(['entity_ref', 'started_at']);
  });

  // Per-minute aggregates. `entity_key` is the entity ref, or `unowned:<service>` for series
  // the catalog does not know, so they stay queryable and visible.
  await knex.schema.createTable('metric_rollups', table => {
    table.string('entity_key', 255).notNullable();
    table.string('metric', 255).notNullable();
    table.bigInteger('minute').notNullable();
    table.double('count').notNullable();
    table.double('sum').notNullable();
    table.double('min').notNullable();
    table.double('max').notNullable();
    table.primary(['entity_key', 'metric', 'minute']);
    table.index(['minute']);
  });

  // Histogram buckets of a rollup, non-cumulative, by upper bound (+Inf stored as 1e308).
  await knex.schema.createTable('metric_rollup_buckets', table => {
    table.string('entity_key', 255).notNullable();
    table.string('metric', 255).notNullable();
    table.bigInteger('minute').notNullable();
    table.double('upper_bound').notNullable();
    table.double('count').notNullable();
    table.primary(['entity_key', 'metric', 'minute', 'upper_bound']);
    table.index(['minute']);
  });

  await knex.schema.createTable('telemetry_exemplars', table => {
    table.bigIncrements('id');
    table.string('entity_key', 255).notNullable();
    table.bigInteger('time').notNullable();
    table.string('kind', 8).notNullable();
    table.string('severity', 32).notNullable();
    table.text('message').notNullable();
    table.string('trace_id', 32);
    table.string('span_id', 16);
    table.index(['entity_key', 'time']);
  });

  await knex.schema.createTable('call_edges', table => {
    table.string('caller_key', 255).notNullable();
    table.string('callee_key', 255).notNullable();
    table.bigInteger('minute').notNullable();
    table.double('count').notNullable();
    table.double('error_count').notNullable();
    table.primary(['caller_key', 'callee_key', 'minute']);
    table.index(['minute']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'call_edges',
    'telemetry_exemplars',
    'metric_rollup_buckets',
    'metric_rollups',
    'deployments',
    'alerts',
    'feed_counters',
  ]) {
    await knex.schema.dropTable(table);
  }
};
