// @ts-check

/*
 * The incident change feed (`GET /changes?after=<cursor>`): every row of `incident_changes`
 * gets a sequence number in commit order, as ingest's feeds do, so a reader that saw `n` never
 * misses a row committed later with a smaller number.
 *
 * The number comes from a counter row locked for the rest of the writing transaction. Rows of
 * `incident_changes` are written in the middle of long transactions (a correlation batch, a
 * merge) that lock incident rows after them; claiming the counter there would make those
 * transactions wait for each other's incident locks while holding it, and deadlock. So the
 * claim is made where nothing else is locked afterwards: on PostgreSQL a deferred constraint
 * trigger numbers the transaction's new rows at commit (the counter lock is held only from
 * there to the end of the commit, so numbers are handed out in commit order); on SQLite, which
 * has one writer at a time, a row trigger numbers each row as it is inserted. Rows a rolled
 * back transaction inserted take their numbers with them: the feed has no gaps but deletions.
 */

const FEED = 'incident_changes';

/**
 * @param {import('knex').Knex} knex
 */
const isPostgres = knex => knex.client.config.client === 'pg';

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('feed_counters', table => {
    table.string('feed', 32).primary();
    table.bigInteger('value').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('incident_changes', table => {
    /** NULL only inside the writing transaction, on PostgreSQL (numbered at its commit). */
    table.bigInteger('seq');
  });

  // Rows from before the feed, in the order routing took them.
  await knex.raw(
    `UPDATE incident_changes SET seq = numbered.n
     FROM (SELECT change_id, ROW_NUMBER() OVER (ORDER BY at, change_id) AS n
           FROM incident_changes) AS numbered
     WHERE incident_changes.change_id = numbered.change_id`,
  );
  const [{ count }] = await knex('incident_changes').count({ count: '*' });
  await knex('feed_counters').insert({ feed: FEED, value: Number(count) });

  await knex.schema.alterTable('incident_changes', table => {
    table.unique(['seq'], { indexName: 'incident_changes_seq_unique' });
    // The newest change of an incident, for the cursor its announcement carries.
    table.index(['incident_id', 'seq'], 'incident_changes_incident_seq');
  });

  if (isPostgres(knex)) {
    // Schema-qualified through TG_TABLE_SCHEMA: the plugin's tables may live in a schema of
    // their own (pluginDivisionMode: schema) that another session's search_path lacks.
    await knex.raw(`
      CREATE OR REPLACE FUNCTION incident_changes_number() RETURNS trigger AS $$
      DECLARE
        next_seq bigint;
      BEGIN
        EXECUTE format(
          'UPDATE %I.feed_counters SET value = value + 1 WHERE feed = %L RETURNING value',
          TG_TABLE_SCHEMA, '${FEED}')
          INTO next_seq;
        EXECUTE format('UPDATE %I.incident_changes SET seq = $1 WHERE change_id = $2',
          TG_TABLE_SCHEMA)
          USING next_seq, NEW.change_id;
        RETURN NULL;
      END
      $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE CONSTRAINT TRIGGER incident_changes_number
      AFTER INSERT ON incident_changes
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION incident_changes_number()`);
  } else {
    await knex.raw(`
      CREATE TRIGGER incident_changes_number
      AFTER INSERT ON incident_changes
      BEGIN
        UPDATE feed_counters SET value = value + 1 WHERE feed = '${FEED}';
        UPDATE incident_changes
          SET seq = (SELECT value FROM feed_counters WHERE feed = '${FEED}')
          WHERE change_id = NEW.change_id;
      END`);
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (isPostgres(knex)) {
    await knex.raw(
      'DROP TRIGGER IF EXISTS incident_changes_number ON incident_changes',
    );
    await knex.raw('DROP FUNCTION IF EXISTS incident_changes_number()');
  } else {
    await knex.raw('DROP TRIGGER IF EXISTS incident_changes_number');
  }
  await knex.schema.alterTable('incident_changes', table => {
    table.dropIndex(['incident_id', 'seq'], 'incident_changes_incident_seq');
    table.dropUnique(['seq'], 'incident_changes_seq_unique');
  });
  // A plain DROP COLUMN, not knex's table rebuild on SQLite (see 20261126000200_incident_merges).
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['incident_changes', 'seq']);
  await knex.schema.dropTable('feed_counters');
};
