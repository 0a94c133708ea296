import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import { DatabaseRetrievalStore } from '../database/DatabaseRetrievalStore';
import { CANDIDATES_PER_LIST, Retriever } from '../engine/Retriever';
import { Indexer } from '../engine/Indexer';
import { cosine } from '../service/cosine';
import { documentText } from '../service/documentText';
import type { Embedder } from '../service/embedder';
import { rankCandidates } from '../service/rankCandidates';
import { tokenize } from '../service/tokenize';
import type { FusionOptions, IncidentDocument } from '../service/types';

/** Warnings and errors only: the evaluation prints its own table. */
const logger: LoggerService = {
  info: () => {},
  debug: () => {},
  warn: message => process.stderr.write(`${message}\n`),
  error: message => process.stderr.write(`${message}\n`),
  child: () => logger,
};

/**
 * Remembers the vector of each text, so that the evaluation embeds each query once however
 * many methods ask for it (the model is the same; only the cost is saved).
 */
export function rememberingEmbedder(embedder: Embedder): Embedder {
  const vectors = new Map<string, Float32Array>();
  return {
    model: embedder.model,
    dimension: embedder.dimension,
    async embed(texts) {
      const missing = [...new Set(texts.filter(t => !vectors.has(t)))];
      if (missing.length) {
        const embedded = await embedder.embed(missing);
        missing.forEach((text, i) => vectors.set(text, embedded[i]));
      }
      return texts.map(text => vectors.get(text)!);
    },
  };
}

/**
 * The plugin's real index on SQLite in memory (migrations, FTS5, the Indexer and the
 * Retriever as the plugin runs them), with one embedder.
 */
export class EvaluationIndex {
  static async create(embedder: Embedder): Promise<EvaluationIndex> {
    const client = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    const database: DatabaseService = {
      getClient: async () => client,
      migrations: { skip: false },
    };
    const store = await DatabaseRetrievalStore.create({ database });
    return new EvaluationIndex(store, embedder, () => client.destroy());
  }

  private readonly indexer: Indexer;

  private constructor(
    readonly store: DatabaseRetrievalStore,
    readonly embedder: Embedder,
    readonly close: () => Promise<void>,
  ) {
    this.indexer = new Indexer({
      store,
      // Documents are given whole (`indexDocument`); correlation is never asked.
      correlation: { incident: async () => undefined },
      embedder,
      logger,
    });
  }

  /**
   * Indexes the documents as the plugin does, in pages of `page` (1: one by one, as the change
   * follower does; 200: as a reindex does); answers documents a second.
   */
  async index(documents: IncidentDocument[], page: number): Promise<number> {
    const started = process.hrtime.bigint();
    for (let i = 0; i < documents.length; i += page)
      await this.indexer.indexDocuments(documents.slice(i, i + page));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return documents.length / seconds;
  }

  /** The plugin's hybrid ranking (`GET /incidents/:id/similar`). */
  async hybrid(query: IncidentDocument, fusion: FusionOptions, k: number) {
    const retriever = new Retriever({
      store: this.store,
      embedder: this.embedder,
      fusion,
      logger,
    });
    const { hits } = await retriever.similar(query, k);
    return hits.map(hit => hit.document.incidentId);
  }

  /** The store's lexical list alone (BM25 over FTS5). */
  async lexical(query: IncidentDocument, k: number) {
    const hits = await this.store.lexical(tokenize(documentText(query)), {
      limit: CANDIDATES_PER_LIST,
    });
    return hits
      .map(hit => hit.incidentId)
      .filter(id => id !== query.incidentId)
      .slice(0, k);
  }

  /** The store's structural candidates ranked by the structural score alone. */
  async structural(query: IncidentDocument, k: number) {
    const ids = await this.store.structural(query, {
      limit: CANDIDATES_PER_LIST,
    });
    const candidates = await this.store.candidates(ids, this.embedder.model);
    return rankCandidates(
      {
        structure: query,
        tokens: [],
        excludeIncidentId: query.incidentId,
      },
      candidates,
      {
        fusion: {
          method: 'minmax',
          rrfK: 60,
          weights: { lexical: 0, vector: 0, structural: 1 },
        },
        k,
      },
    ).map(hit => hit.document.incidentId);
  }

  /** Every stored vector by cosine to the query's (exhaustive: the vector signal alone). */
  async vector(query: IncidentDocument, k: number) {
    const [vector] = await this.embedder.embed([documentText(query)]);
    const scored: Array<{ id: string; score: number }> = [];
    for (let after = ''; ; ) {
      const page = await this.store.list(after, 500);
      for (const { document, embedding } of page)
        if (
          document.incidentId !== query.incidentId &&
          embedding?.model === this.embedder.model
        )
          scored.push({
            id: document.incidentId,
            score: cosine(vector, embedding.vector),
          });
      if (page.length < 500) break;
      after = page[page.length - 1].document.incidentId;
    }
    return scored
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .slice(0, k)
      .map(({ id }) => id);
  }
}
