// @ts-check

/*
 * How many documents hold each word and structural key (`retrieval_terms`), and how many
 * documents there are (the row with the empty term): a query sends the index its rarest terms
 * only, so that its cost is bounded by their postings, not by the whole index (issue 25's
 * benchmark: 100k incidents). Kept by the store in the same transaction as the documents.
 * Existing documents are counted here.
 */

const TERM_LENGTH = 200;
const PAGE = 1000;

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('retrieval_terms', table => {
    /** A word as the tokenizer writes it, `e:<entity ref>` or `a:<alert name>`; '' for the total. */
    table.string('term', 255).primary();
    table.integer('documents').notNullable();
  });

  /** @type {Map<string, number>} */
  const counts = new Map();
  const add = (/** @type {string} */ term) =>
    counts.set(term, (counts.get(term) ?? 0) + 1);
  let after = '';
  let total = 0;
  for (;;) {
    const rows = await knex('retrieval_documents')
      .where('incident_id', '>', after)
      .orderBy('incident_id')
      .limit(PAGE)
      .select('incident_id', 'body');
    if (!rows.length) break;
    total += rows.length;
    for (const row of rows)
      for (const word of new Set(String(row.body).split(' ').filter(Boolean)))
        add(word.slice(0, TERM_LENGTH));
    const keys = await knex('retrieval_document_keys')
      .whereIn(
        'incident_id',
        rows.map(row => row.incident_id),
      )
      .select('kind', 'value');
    for (const key of keys)
      add(
        `${key.kind === 'entity' ? 'e' : 'a'}:${key.value}`.slice(
          0,
          TERM_LENGTH,
        ),
      );
    after = rows[rows.length - 1].incident_id;
  }
  counts.set('', total);
  const entries = [...counts.entries()];
  for (let i = 0; i < entries.length; i += PAGE)
    await knex('retrieval_terms').insert(
      entries
        .slice(i, i + PAGE)
        .map(([term, documents]) => ({ term, documents })),
    );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('retrieval_terms');
};
