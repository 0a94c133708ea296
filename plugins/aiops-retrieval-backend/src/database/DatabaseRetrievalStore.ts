import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { Candidate } from '../service/rankCandidates';
import type { IncidentDocument } from '../service/types';
import {
  MAX_QUERY_POSTINGS,
  selectQueryTerms,
} from '../service/selectQueryTerms';
import { migratedClient } from './migrate';
import type {
  DocumentEntry,
  Embedding,
  RetrievalStore,
  SearchFilters,
  StoredDocument,
} from './RetrievalStore';
import { vectorFromBytes, vectorToBytes } from './vectorBytes';

const DOCUMENTS = 'retrieval_documents';
const KEYS = 'retrieval_document_keys';
const FTS = 'retrieval_documents_fts';
const TERMS = 'retrieval_terms';
/** PostgreSQL: the documents' tsvectors, in narrow rows of their own with the GIN index. */
const LEXICAL = 'retrieval_lexical';
/** The row of `retrieval_terms` that counts the documents. */
const TOTAL = '';
/** Terms are cut to this length (as the migration that counted the first ones cut them). */
const TERM_LENGTH = 200;

/**
 * Rows per INSERT of a batch: well under SQLite's limit of bound variables (32,766) and
 * PostgreSQL's (65,535) with the documents' 12 columns.
 */
const ROWS_PER_INSERT = 200;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

/**
 * PostgreSQL ranks by reading each matching row's tsvector (FTS5 ranks from its postings): the
 * same budget of postings would cost it ten times more, so its queries ask for fewer.
 */
export const POSTGRES_MAX_QUERY_POSTINGS = 4_000;

/** Most distinct tokens of a query looked up in the term counts: bounds what a long text costs. */
export const MAX_QUERY_TOKENS = 256;

const lower = (value: string) => value.toLocaleLowerCase('en-US');
const byTerm = (a: string, b: string) => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};
const hasFilters = (filters: SearchFilters = {}) =>
  Object.values(filters).some(Boolean);
const wordTerm = (token: string) => token.slice(0, TERM_LENGTH);
const keyTerm = (kind: 'entity' | 'alert', value: string) =>
  `${kind === 'entity' ? 'e' : 'a'}:${value}`.slice(0, TERM_LENGTH);

/** The terms a document is counted under: its distinct words and structural keys. */
function termsOf(body: string, keys: Array<{ kind: string; value: string }>) {
  const terms = new Set<string>();
  for (const word of body.split(' ')) if (word) terms.add(wordTerm(word));
  for (const key of keys)
    terms.add(keyTerm(key.kind === 'entity' ? 'entity' : 'alert', key.value));
  return terms;
}

function keysOf(document: IncidentDocument) {
  return [
    ...document.entityRefs.map(value => ({
      kind: 'entity',
      value: lower(value),
    })),
    ...document.alertNames.map(value => ({ kind: 'alert', value })),
  ];
}

interface Row {
  incident_id: string;
  document: string;
  vector: Uint8Array | null;
  model: string | null;
}

function fromRow(row: Row): StoredDocument {
  return {
    document: JSON.parse(row.document) as IncidentDocument,
    embedding:
      row.vector && row.model
        ? { model: row.model, vector: vectorFromBytes(row.vector) }
        : undefined,
  };
}

/** `RetrievalStore` on the plugin's database: FTS5 on SQLite, `tsvector` on PostgreSQL. */
export class DatabaseRetrievalStore implements RetrievalStore {
  readonly name = 'database';
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRetrievalStore> {
    return new DatabaseRetrievalStore(await migratedClient(options.database));
  }

  private readonly postgres: boolean;
  private readonly maxPostings: number;

  constructor(private readonly db: Knex) {
    this.postgres = db.client.config.client === 'pg';
    this.maxPostings = this.postgres
      ? POSTGRES_MAX_QUERY_POSTINGS
      : MAX_QUERY_POSTINGS;
  }

  async put(
    document: IncidentDocument,
    tokens: string[],
    embedding?: Embedding,
  ): Promise<void> {
    await this.putMany([{ document, tokens, embedding }]);
  }

  async putMany(entries: DocumentEntry[]): Promise<void> {
    // One row per incident: the last entry of an incident given twice wins.
    const byId = new Map(entries.map(e => [e.document.incidentId, e]));
    const ids = [...byId.keys()];
    if (!ids.length) return;
    const indexedAt = new Date();
    await this.db.transaction(async tx => {
      const delta = await this.replacedTerms(tx, ids);
      for (const { document, tokens } of byId.values())
        for (const term of termsOf(tokens.join(' '), keysOf(document)))
          delta.set(term, (delta.get(term) ?? 0) + 1);
      for (const chunk of chunks([...byId.values()], ROWS_PER_INSERT))
        await tx(DOCUMENTS)
          .insert(
            chunk.map(({ document, tokens, embedding }) => ({
              incident_id: document.incidentId,
              title: document.title,
              status: document.status,
              owner: document.owner ?? null,
              system: document.system ?? null,
              opened_at: new Date(document.openedAt),
              resolved_at: document.resolvedAt
                ? new Date(document.resolvedAt)
                : null,
              document: JSON.stringify(document),
              body: tokens.join(' '),
              vector: embedding ? vectorToBytes(embedding.vector) : null,
              model: embedding?.model ?? null,
              indexed_at: indexedAt,
            })),
          )
          .onConflict('incident_id')
          .merge();
      for (const chunk of chunks(ids, ROWS_PER_INSERT))
        await tx(KEYS).whereIn('incident_id', chunk).delete();
      const keys = [...byId.values()].flatMap(({ document }) =>
        keysOf(document).map(key => ({
          ...key,
          incident_id: document.incidentId,
        })),
      );
      for (const chunk of chunks(keys, ROWS_PER_INSERT))
        await tx(KEYS).insert(chunk);
      if (this.postgres) await this.putLexical(tx, byId);
      else await this.putFts(tx, ids, byId);
      await this.addToTermCounts(tx, delta);
    });
  }

  /**
   * The term counts of the documents about to be replaced, negated, with the number of new
   * documents under the total: what a page changes in `retrieval_terms` is this plus the
   * page's own terms.
   */
  private async replacedTerms(
    tx: Knex.Transaction,
    ids: string[],
  ): Promise<Map<string, number>> {
    const delta = new Map<string, number>([[TOTAL, ids.length]]);
    for (const chunk of chunks(ids, ROWS_PER_INSERT)) {
      const rows: Array<{ incident_id: string; body: string }> = await tx(
        DOCUMENTS,
      )
        .whereIn('incident_id', chunk)
        .select('incident_id', 'body');
      if (!rows.length) continue;
      const keys: Array<{ incident_id: string; kind: string; value: string }> =
        await tx(KEYS)
          .whereIn(
            'incident_id',
            rows.map(row => row.incident_id),
          )
          .select('incident_id', 'kind', 'value');
      delta.set(TOTAL, delta.get(TOTAL)! - rows.length);
      for (const row of rows)
        for (const term of termsOf(
          row.body,
          keys.filter(key => key.incident_id === row.incident_id),
        ))
          delta.set(term, (delta.get(term) ?? 0) - 1);
    }
    return delta;
  }

  /**
   * Adds the deltas to the term counts, in term order: concurrent writers (replicas) then lock
   * the rows they share in the same order and cannot deadlock each other.
   */
  private async addToTermCounts(
    tx: Knex.Transaction,
    delta: Map<string, number>,
  ) {
    const rows = [...delta.entries()]
      .filter(([, documents]) => documents !== 0)
      .sort(([a], [b]) => byTerm(a, b))
      .map(([term, documents]) => ({ term, documents }));
    for (const chunk of chunks(rows, ROWS_PER_INSERT))
      await tx(TERMS)
        .insert(chunk)
        .onConflict('term')
        .merge({
          documents: tx.raw('?? + excluded.documents', [`${TERMS}.documents`]),
        });
  }

  /**
   * The best matches of the tsvectors, through the GIN index always: with a bounded number of
   * postings the index is the right plan, but the planner's estimates for rare lexemes are
   * rough and a sequential scan evaluates every document (170 ms at 100k).
   */
  private async postgresLexical(
    match: string,
    limit: number,
  ): Promise<Array<{ incident_id: string; score: number }>> {
    return this.db.transaction(async tx => {
      await tx.raw('SET LOCAL enable_seqscan = off');
      const result = await tx.raw(
        `SELECT incident_id, ts_rank_cd(body_tsv, query) AS score
           FROM ${LEXICAL}, to_tsquery('simple', ?) AS query
          WHERE body_tsv @@ query
          ORDER BY score DESC, incident_id LIMIT ?`,
        [match, limit],
      );
      return result.rows;
    });
  }

  /** How many documents hold each term, and how many documents there are. */
  private async termCounts(
    terms: string[],
  ): Promise<{ counts: Map<string, number>; total: number }> {
    const rows: Array<{ term: string; documents: number }> = await this.db(
      TERMS,
    )
      .whereIn('term', [TOTAL, ...terms])
      .select('term', 'documents');
    const counts = new Map(rows.map(row => [row.term, Number(row.documents)]));
    return { counts, total: counts.get(TOTAL) ?? 0 };
  }

  /** The tsvectors (PostgreSQL), with the `simple` configuration: the tokens as they are. */
  private async putLexical(
    tx: Knex.Transaction,
    byId: Map<string, DocumentEntry>,
  ) {
    for (const chunk of chunks([...byId.values()], ROWS_PER_INSERT))
      await tx.raw(
        `INSERT INTO ${LEXICAL} (incident_id, body_tsv) VALUES ${chunk
          .map(() => `(?, to_tsvector('simple', ?))`)
          .join(', ')}
         ON CONFLICT (incident_id) DO UPDATE SET body_tsv = excluded.body_tsv`,
        chunk.flatMap(({ document, tokens }) => [
          document.incidentId,
          tokens.join(' '),
        ]),
      );
  }

  /**
   * The FTS5 rows, keyed by the documents' rowid (an upsert keeps a row's rowid): a replaced
   * document's row is found by rowid, not by scanning the FTS table for its incident id.
   */
  private async putFts(
    tx: Knex.Transaction,
    ids: string[],
    byId: Map<string, DocumentEntry>,
  ) {
    for (const chunk of chunks(ids, ROWS_PER_INSERT)) {
      const rows: Array<{ rowid: number; incident_id: string }> = await tx(
        DOCUMENTS,
      )
        .whereIn('incident_id', chunk)
        .select('rowid', 'incident_id');
      await tx(FTS)
        .whereIn(
          'rowid',
          rows.map(row => row.rowid),
        )
        .delete();
      await tx(FTS).insert(
        rows.map(row => ({
          rowid: row.rowid,
          incident_id: row.incident_id,
          body: byId.get(row.incident_id)!.tokens.join(' '),
        })),
      );
    }
  }

  async get(incidentId: string) {
    const row = await this.db<Row>(DOCUMENTS)
      .where('incident_id', incidentId)
      .first('incident_id', 'document', 'vector', 'model');
    return row && fromRow(row);
  }

  async lexical(
    tokens: string[],
    options: { limit: number; filters?: SearchFilters },
  ) {
    const asked = [...new Set(tokens.map(wordTerm))].slice(0, MAX_QUERY_TOKENS);
    if (!asked.length) return [];
    const { counts, total } = await this.termCounts(asked);
    const terms = selectQueryTerms(asked, counts, total, this.maxPostings);
    if (!terms.length) return [];
    // Tokens hold letters and digits only (see `tokenize`): safe inside either syntax.
    const match = this.postgres
      ? terms.join(' | ')
      : terms.map(term => `"${term}"`).join(' OR ');
    let rows: Array<{ incident_id: string; score: number }>;
    if (!hasFilters(options.filters)) {
      // The index ranks its matches alone and the best few are joined to the documents:
      // joining every match first costs most of a query on a large index.
      rows = this.postgres
        ? await this.postgresLexical(match, options.limit)
        : await this.db.raw(
            `SELECT ${DOCUMENTS}.incident_id AS incident_id, -best.rank AS score
               FROM (SELECT rowid, rank FROM ${FTS} WHERE ${FTS} MATCH ?
                     ORDER BY rank LIMIT ?) AS best
               JOIN ${DOCUMENTS} ON ${DOCUMENTS}.rowid = best.rowid
              ORDER BY best.rank, ${DOCUMENTS}.incident_id`,
            [match, options.limit],
          );
    } else {
      const query = this.postgres
        ? this.db(LEXICAL)
            .join(
              DOCUMENTS,
              `${DOCUMENTS}.incident_id`,
              `${LEXICAL}.incident_id`,
            )
            .select(
              `${DOCUMENTS}.incident_id`,
              this.db.raw(
                `ts_rank_cd(${LEXICAL}.body_tsv, to_tsquery('simple', ?)) as score`,
                [match],
              ),
            )
            .whereRaw(`${LEXICAL}.body_tsv @@ to_tsquery('simple', ?)`, [match])
        : this.db(FTS)
            .join(DOCUMENTS, `${DOCUMENTS}.rowid`, `${FTS}.rowid`)
            .select(
              `${DOCUMENTS}.incident_id`,
              // bm25() is lower for better matches.
              this.db.raw(`-bm25(${FTS}) as score`),
            )
            .whereRaw(`${FTS} MATCH ?`, [match]);
      this.filter(query, options.filters);
      rows = await query
        .orderBy('score', 'desc')
        .orderBy(`${DOCUMENTS}.incident_id`)
        .limit(options.limit);
    }
    return rows.map(row => ({
      incidentId: row.incident_id as string,
      score: Number(row.score),
    }));
  }

  async structural(
    keys: { entityRefs: string[]; alertNames: string[] },
    options: { limit: number; filters?: SearchFilters },
  ) {
    const asked = [
      ...keys.entityRefs.map(ref => keyTerm('entity', lower(ref))),
      ...keys.alertNames.map(name => keyTerm('alert', name)),
    ];
    if (!asked.length) return [];
    const { counts, total } = await this.termCounts(asked);
    const chosen = new Set(
      selectQueryTerms(asked, counts, total, this.maxPostings),
    );
    const entityRefs = keys.entityRefs
      .map(lower)
      .filter(ref => chosen.has(keyTerm('entity', ref)));
    const alertNames = keys.alertNames.filter(name =>
      chosen.has(keyTerm('alert', name)),
    );
    if (!entityRefs.length && !alertNames.length) return [];
    // Typed loosely: knex's inferred row type of a grouped count drops the grouped column.
    const query: Knex.QueryBuilder = this.db(KEYS)
      .where(builder =>
        builder
          .where(inner =>
            inner
              .where(`${KEYS}.kind`, 'entity')
              .whereIn(`${KEYS}.value`, entityRefs),
          )
          .orWhere(inner =>
            inner
              .where(`${KEYS}.kind`, 'alert')
              .whereIn(`${KEYS}.value`, alertNames),
          ),
      )
      .groupBy(`${KEYS}.incident_id`)
      .select(`${KEYS}.incident_id`)
      .count({ shared: '*' });
    // The documents' table only for filters: counting keys needs the keys alone.
    if (hasFilters(options.filters)) {
      query.join(DOCUMENTS, `${DOCUMENTS}.incident_id`, `${KEYS}.incident_id`);
      this.filter(query, options.filters);
    }
    const rows: Array<{ incident_id: string }> = await query
      .orderBy('shared', 'desc')
      .orderBy(`${KEYS}.incident_id`)
      .limit(options.limit);
    return rows.map(row => row.incident_id);
  }

  async candidates(incidentIds: string[], model: string) {
    if (!incidentIds.length) return [];
    const rows = await this.db<Row>(DOCUMENTS)
      .whereIn('incident_id', incidentIds)
      .select('incident_id', 'document', 'vector', 'model');
    const byId = new Map(rows.map(row => [row.incident_id, fromRow(row)]));
    return incidentIds.flatMap((id): Candidate[] => {
      const stored = byId.get(id);
      if (!stored) return [];
      return [
        {
          document: stored.document,
          vector:
            stored.embedding?.model === model
              ? stored.embedding.vector
              : undefined,
        },
      ];
    });
  }

  async list(after: string, limit: number) {
    const rows = await this.db<Row>(DOCUMENTS)
      .where('incident_id', '>', after)
      .orderBy('incident_id')
      .limit(limit)
      .select('incident_id', 'document', 'vector', 'model');
    return rows.map(fromRow);
  }

  async countStale(model: string) {
    const [row] = await this.db(DOCUMENTS)
      .where(builder => builder.whereNull('model').orWhereNot('model', model))
      .count({ count: '*' });
    return Number(row.count);
  }

  async count() {
    const [row] = await this.db(DOCUMENTS).count({ count: '*' });
    return Number(row.count);
  }

  private filter(query: Knex.QueryBuilder, filters: SearchFilters = {}) {
    if (filters.owner) query.where(`${DOCUMENTS}.owner`, lower(filters.owner));
    if (filters.system)
      query.where(`${DOCUMENTS}.system`, lower(filters.system));
    if (filters.from)
      query.where(`${DOCUMENTS}.opened_at`, '>=', new Date(filters.from));
    if (filters.to)
      query.where(`${DOCUMENTS}.opened_at`, '<', new Date(filters.to));
    if (filters.entityRef)
      query.whereExists(
        this.db(`${KEYS} as filter_keys`)
          .whereRaw(`filter_keys.incident_id = ${DOCUMENTS}.incident_id`)
          .where('filter_keys.kind', 'entity')
          .where('filter_keys.value', lower(filters.entityRef)),
      );
  }
}
