import type { Client } from '@opensearch-project/opensearch';
import type {
  Candidate,
  DocumentEntry,
  Embedding,
  FusionOptions,
  HybridCandidate,
  HybridQuery,
  IncidentDocument,
  RetrievalStore,
  SearchFilters,
  StoredDocument,
} from '@aiops/plugin-aiops-node';
import { indexBody, pipelineBody, pipelineName } from './indexBodies';
import {
  hybridSearchBody,
  lexicalClause,
  listSearchBody,
  structuralClause,
} from './queries';

/** What the index keeps of one incident (`_source`). */
interface Source {
  incidentId: string;
  body: string;
  entityRefs: string[];
  alertNames: string[];
  rootCauseEntityRef?: string;
  system?: string;
  owner?: string;
  status: string;
  openedAt: string;
  embeddingModel?: string;
  embedding?: number[];
  document: IncidentDocument;
}

interface Hit {
  _id: string;
  _score?: number | null;
  _source?: Partial<Source>;
  sort?: unknown[];
}

export interface OpenSearchRetrievalStoreOptions {
  client: Client;
  /** The index's name; created with its mapping when missing. */
  index: string;
  /** The k-NN vector's dimension: the embedder's. */
  dimension: number;
}

/** A bulk request that OpenSearch took only in part: the incidents it did not index, and why. */
export class BulkIndexingError extends Error {
  constructor(
    readonly failures: Array<{ incidentId: string; reason: string }>,
  ) {
    super(
      `OpenSearch did not index ${failures.length} incident(s): ${failures
        .slice(0, 5)
        .map(f => `${f.incidentId} (${f.reason})`)
        .join(', ')}`,
    );
    this.name = 'BulkIndexingError';
  }
}

const lower = (value?: string) => value?.toLowerCase();

type IndexBody = Parameters<Client['indices']['create']>[0]['body'];
type SearchPipelineBody = Parameters<
  Client['searchPipeline']['put']
>[0]['body'];

/**
 * The retrieval index in OpenSearch, for estates with millions of incidents: BM25 over the
 * document's words, k-NN (HNSW, cosine) over its embedding and keyword fields for its
 * structure, fused by OpenSearch itself in one hybrid query through a search pipeline
 * (`hybrid`), so candidates come from the whole index rather than from two lists of 100.
 */
export class OpenSearchRetrievalStore implements RetrievalStore {
  readonly name = 'opensearch';
  private readonly pipelines = new Map<string, Promise<string>>();
  private indexReady?: Promise<void>;

  constructor(private readonly options: OpenSearchRetrievalStoreOptions) {}

  /**
   * The index, created with its mapping when missing, before the first request that needs it:
   * the backend starts while OpenSearch is away, and the index appears once it is back.
   */
  private ready(): Promise<void> {
    this.indexReady ??= this.ensureIndex().catch(error => {
      this.indexReady = undefined;
      throw error;
    });
    return this.indexReady;
  }

  private async ensureIndex() {
    const { client, index, dimension } = this.options;
    const exists = await client.indices.exists({ index });
    if (exists.body) return;
    try {
      await client.indices.create({
        index,
        body: indexBody(dimension) as IndexBody,
      });
    } catch (error) {
      // Another replica created it first.
      if (errorType(error) !== 'resource_already_exists_exception') throw error;
    }
  }

  put(document: IncidentDocument, tokens: string[], embedding?: Embedding) {
    return this.putMany([{ document, tokens, embedding }]);
  }

  async putMany(entries: DocumentEntry[]): Promise<void> {
    if (!entries.length) return;
    const { client, index, dimension } = this.options;
    await this.ready();
    for (const { document, embedding } of entries)
      if (embedding && embedding.vector.length !== dimension)
        throw new Error(
          `Incident ${document.incidentId}: the embedding has ${embedding.vector.length} dimensions, the index ${index} ${dimension} (aiops.retrieval.opensearch.dimension)`,
        );
    const body = entries.flatMap(entry => [
      { index: { _index: index, _id: entry.document.incidentId } },
      toSource(entry),
    ]);
    const response = await client.bulk({ body });
    if (!response.body.errors) return;
    const failures = (
      response.body.items as Array<
        Record<string, { _id?: string; status: number; error?: unknown }>
      >
    ).flatMap(item =>
      Object.values(item)
        .filter(result => result.status >= 300)
        .map(result => ({
          incidentId: String(result._id),
          reason: reasonOf(result.error),
        })),
    );
    throw new BulkIndexingError(failures);
  }

  async get(incidentId: string): Promise<StoredDocument | undefined> {
    const { client, index } = this.options;
    await this.ready();
    try {
      const { body } = await client.get({ index, id: incidentId });
      return body.found ? toStored(body._source as Source) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async lexical(
    tokens: string[],
    options: { limit: number; filters?: SearchFilters },
  ) {
    if (!tokens.length) return [];
    const hits = await this.search(
      listSearchBody(lexicalClause(tokens.join(' ')), options),
    );
    return hits.map(hit => ({ incidentId: hit._id, score: hit._score ?? 0 }));
  }

  async structural(
    keys: { entityRefs: string[]; alertNames: string[] },
    options: { limit: number; filters?: SearchFilters },
  ) {
    if (!keys.entityRefs.length && !keys.alertNames.length) return [];
    const hits = await this.search(
      listSearchBody(structuralClause(keys), options),
    );
    return hits.map(hit => hit._id);
  }

  async candidates(incidentIds: string[], model: string): Promise<Candidate[]> {
    if (!incidentIds.length) return [];
    const { client, index } = this.options;
    await this.ready();
    const { body } = await client.mget({ index, body: { ids: incidentIds } });
    return (body.docs as Array<{ found?: boolean; _source?: Source }>)
      .filter(doc => doc.found && doc._source)
      .map(doc => toCandidate(doc._source as Source, model));
  }

  async list(after: string, limit: number): Promise<StoredDocument[]> {
    const hits = await this.search({
      size: limit,
      sort: [{ incidentId: 'asc' }],
      ...(after && { search_after: [after] }),
      query: { match_all: {} },
    });
    return hits.map(hit => toStored(hit._source as Source));
  }

  async countStale(model: string): Promise<number> {
    return this.countWhere({
      bool: { must_not: [{ term: { embeddingModel: model } }] },
    });
  }

  count(): Promise<number> {
    return this.countWhere({ match_all: {} });
  }

  async hybrid(query: HybridQuery): Promise<HybridCandidate[]> {
    const pipeline = await this.pipeline(query.fusion);
    const hits = await this.search(hybridSearchBody(query), pipeline);
    return hits.map(hit => ({
      ...toCandidate(hit._source as Source, query.model),
      score: hit._score ?? 0,
    }));
  }

  /** The search pipeline for these fusion options, created once per process (idempotent). */
  private pipeline(fusion: FusionOptions): Promise<string> {
    const { client, index } = this.options;
    const id = pipelineName(index, fusion);
    let created = this.pipelines.get(id);
    if (!created) {
      created = client.searchPipeline
        // The client's types predate `score-ranker-processor` (OpenSearch 2.19).
        .put({ id, body: pipelineBody(fusion) as SearchPipelineBody })
        .then(() => id);
      created.catch(() => this.pipelines.delete(id));
      this.pipelines.set(id, created);
    }
    return created;
  }

  private async search(body: object, pipeline?: string): Promise<Hit[]> {
    const { client, index } = this.options;
    await this.ready();
    const { body: answer } = await client.search({
      index,
      body,
      ...(pipeline && { search_pipeline: pipeline }),
    } as Parameters<Client['search']>[0]);
    return (answer.hits?.hits ?? []) as Hit[];
  }

  private async countWhere(query: object): Promise<number> {
    const { client, index } = this.options;
    await this.ready();
    const { body } = await client.count({ index, body: { query } });
    return Number(body.count);
  }
}

function toSource({ document, tokens, embedding }: DocumentEntry): Source {
  return {
    incidentId: document.incidentId,
    body: tokens.join(' '),
    entityRefs: document.entityRefs.map(ref => ref.toLowerCase()),
    alertNames: document.alertNames,
    ...(document.rootCauseEntityRef && {
      rootCauseEntityRef: lower(document.rootCauseEntityRef),
    }),
    ...(document.system && { system: lower(document.system) }),
    ...(document.owner && { owner: lower(document.owner) }),
    status: document.status,
    openedAt: document.openedAt,
    ...(embedding && {
      embeddingModel: embedding.model,
      embedding: Array.from(embedding.vector),
    }),
    document,
  };
}

function toStored(source: Source): StoredDocument {
  return {
    document: source.document,
    ...(source.embedding &&
      source.embeddingModel && {
        embedding: {
          model: source.embeddingModel,
          vector: Float32Array.from(source.embedding),
        },
      }),
  };
}

function toCandidate(source: Source, model: string): Candidate {
  return {
    document: source.document,
    ...(source.embedding &&
      source.embeddingModel === model && {
        vector: Float32Array.from(source.embedding),
      }),
  };
}

function statusOf(error: unknown): number | undefined {
  return (error as { meta?: { statusCode?: number } })?.meta?.statusCode;
}

function errorType(error: unknown): string | undefined {
  return (error as { meta?: { body?: { error?: { type?: string } } } })?.meta
    ?.body?.error?.type;
}

function reasonOf(error: unknown): string {
  if (!error) return 'unknown';
  const { type, reason } = error as { type?: string; reason?: string };
  return [type, reason].filter(Boolean).join(': ') || 'unknown';
}
