// @ts-check

/*
 * The deploy-risk plugin's assessments: what was asked, what was scored (the factor table and
 * the rule versions that made it, so an old assessment can be explained), and later the
 * deployment it led to and its outcome. Both databases take the same schema; timestamps are
 * stored as timestamps and compared as such.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('risk_assessments', table => {
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('version', 255).notNullable();
    table.string('environment', 255).notNullable();
    table.timestamp('assessed_at', { useTz: true }).notNullable();
    table.timestamp('planned_at', { useTz: true }).nullable();
    /** JSON: the rest of the request (changeSummary, diffStats, author). */
    table.text('request').notNullable();
    table.double('score').notNullable();
    table.double('probability').notNullable();
    /** low, medium, high or blocked. */
    table.string('level', 16).notNullable();
    /** JSON: the scored factors, in the order they were returned. */
    table.text('factors').notNullable();
    table.text('recommendation').notNullable();
    /** JSON: the policies that blocked it. */
    table.text('blocked_by').notNullable();
    /** JSON: the factor versions applied. */
    table.text('rule_versions').notNullable();
    /** The optional LLM paragraph; never part of the score. */
    table.text('explanation').nullable();
    table.string('deployment_id', 255).nullable();
    /** succeeded or failed, once the outcome window has closed; null while unknown. */
    table.string('outcome', 16).nullable();
    table.timestamp('outcome_at', { useTz: true }).nullable();
    table.text('outcome_reason').nullable();
    table.index(
      ['entity_ref', 'environment', 'assessed_at'],
      'risk_assessments_entity',
    );
    table.index(['deployment_id'], 'risk_assessments_deployment');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('risk_assessments');
};
