import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentDetails } from '@aiops/plugin-aiops-common';
import type {
  CorrelationReader,
  IncidentContextReader,
} from '@aiops/plugin-aiops-node';
import type { RetrievalStore } from '../database/RetrievalStore';
import { documentText } from '../service/documentText';
import type { Embedder } from '../service/embedder';
import {
  buildIncidentDocument,
  type IncidentDocumentExtras,
} from '../service/incidentDocument';
import { tokenize } from '../service/tokenize';
import type { IncidentDocument } from '../service/types';

/** Documents re-embedded per page of a reindex. */
const REINDEX_PAGE = 200;
/** A failing narrator or ingest is said once in this long, not once per incident. */
const WARN_EVERY_MS = 5 * 60_000;

/**
 * Writes incidents into the index: reads one from correlation, makes its document, embeds it
 * and stores both. An embedder that fails leaves the document without a vector (it is still
 * found by words and structure); the next change or a reindex embeds it.
 */
export class Indexer {
  constructor(
    private readonly options: {
      store: RetrievalStore;
      correlation: Pick<CorrelationReader, 'incident'>;
      /** The narrator's summary and ingest's alert labels; without it, correlation's view only. */
      context?: IncidentContextReader;
      embedder: Embedder;
      logger: LoggerService;
    },
  ) {}

  private lastWarnedAt = Number.NEGATIVE_INFINITY;

  /** Indexes the incident as correlation has it now; false when correlation knows none. */
  async index(incidentId: string): Promise<boolean> {
    return (await this.indexIncidents([incidentId])).length === 0;
  }

  /**
   * Indexes the incidents as correlation has them now, written in one transaction (a page of
   * the change feed). Answers the ids correlation no longer knows (not indexed).
   */
  async indexIncidents(incidentIds: string[]): Promise<string[]> {
    const unknown: string[] = [];
    const documents: IncidentDocument[] = [];
    for (const id of incidentIds) {
      const details = await this.options.correlation.incident(id);
      if (details)
        documents.push(
          buildIncidentDocument(details, await this.extrasOf(details)),
        );
      else unknown.push(id);
    }
    await this.indexDocuments(documents);
    return unknown;
  }

  /**
   * What the narrator and ingest add to correlation's view: the narrative's summary and the
   * alerts' labels (the first alerts'; instance labels are left out by the document). Either
   * missing leaves the document without it: indexing never waits on them.
   */
  private async extrasOf(
    details: IncidentDetails,
  ): Promise<IncidentDocumentExtras> {
    const { context } = this.options;
    if (!context) return {};
    const [narrative, alertLabels] = await Promise.all([
      context
        .narrativeSummary(details.incident.id)
        .catch(error => this.unread('the narrator', error)),
      context
        .alertLabels(details.alerts.map(link => link.alertId))
        .catch(error => this.unread('ingest', error)),
    ]);
    return {
      ...(narrative && { narrative }),
      ...(alertLabels && { alertLabels }),
    };
  }

  private unread(source: string, error: unknown): undefined {
    const now = Date.now();
    if (now - this.lastWarnedAt >= WARN_EVERY_MS) {
      this.lastWarnedAt = now;
      this.options.logger.warn(
        `Retrieval indexes incidents without what ${source} adds (narrative or alert labels): ${error}`,
      );
    }
    return undefined;
  }

  /**
   * Tokenizes and embeds every stored document again from its stored form (after an upgrade
   * of the tokenizer or a change of embedder). Answers how many documents it wrote and how
   * many of them have no vector because the embedder failed.
   */
  async reindex(): Promise<{ documents: number; withoutVector: number }> {
    let after = '';
    let documents = 0;
    let withoutVector = 0;
    for (;;) {
      const page = await this.options.store.list(after, REINDEX_PAGE);
      withoutVector += await this.indexDocuments(page.map(s => s.document));
      documents += page.length;
      if (page.length < REINDEX_PAGE) break;
      after = page[page.length - 1].document.incidentId;
    }
    return { documents, withoutVector };
  }

  /** Re-embeds when stored vectors are of another model (or none): vectors never mix. */
  async reembedIfStale(): Promise<void> {
    const { store, embedder, logger } = this.options;
    const stale = await store.countStale(embedder.model);
    if (!stale) return;
    logger.info(
      `Re-embedding the retrieval index with ${embedder.model}: ${stale} documents have no vector of it`,
    );
    await this.reindex();
  }

  /**
   * Tokenizes, embeds and stores a document already built; false when it went in without a
   * vector.
   */
  async indexDocument(document: IncidentDocument): Promise<boolean> {
    return (await this.indexDocuments([document])) === 0;
  }

  /**
   * Tokenizes, embeds (in one call, batched as the embedder sees fit) and stores documents
   * already built, in one transaction (a reindex's page, the
   * evaluation's labelled set). Answers how many went in without a vector.
   */
  async indexDocuments(documents: IncidentDocument[]): Promise<number> {
    if (!documents.length) return 0;
    const texts = documents.map(documentText);
    const vectors = await this.embed(documents, texts);
    await this.options.store.putMany(
      documents.map((document, i) => ({
        document,
        tokens: tokenize(texts[i]),
        embedding: vectors && {
          model: this.options.embedder.model,
          vector: vectors[i],
        },
      })),
    );
    return vectors ? 0 : documents.length;
  }

  private async embed(
    documents: IncidentDocument[],
    texts: string[],
  ): Promise<Float32Array[] | undefined> {
    const { embedder, logger } = this.options;
    try {
      return await embedder.embed(texts);
    } catch (error) {
      const which =
        documents.length === 1
          ? `incident ${documents[0].incidentId}`
          : `${documents.length} incidents`;
      logger.warn(
        `Could not embed ${which} with ${embedder.model}; indexed for words and structure only: ${error}`,
      );
      return undefined;
    }
  }
}
