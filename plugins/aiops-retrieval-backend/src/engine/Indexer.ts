import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CorrelationReader } from '@aiops/plugin-aiops-node';
import type { Embedding, RetrievalStore } from '../database/RetrievalStore';
import { documentText } from '../service/documentText';
import type { Embedder } from '../service/embedder';
import { buildIncidentDocument } from '../service/incidentDocument';
import { tokenize } from '../service/tokenize';
import type { IncidentDocument } from '../service/types';

/** Documents re-embedded per page of a reindex. */
const REINDEX_PAGE = 200;

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
      embedder: Embedder;
      logger: LoggerService;
    },
  ) {}

  /** Indexes the incident as correlation has it now; false when correlation knows none. */
  async index(incidentId: string): Promise<boolean> {
    const details = await this.options.correlation.incident(incidentId);
    if (!details) return false;
    await this.put(buildIncidentDocument(details));
    return true;
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
      for (const { document } of page) {
        if (!(await this.put(document))) withoutVector++;
        documents++;
      }
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

  /** Stores the document; false when it went in without a vector. */
  private async put(document: IncidentDocument): Promise<boolean> {
    const text = documentText(document);
    const embedding = await this.embed(document.incidentId, text);
    await this.options.store.put(document, tokenize(text), embedding);
    return !!embedding;
  }

  private async embed(
    incidentId: string,
    text: string,
  ): Promise<Embedding | undefined> {
    const { embedder, logger } = this.options;
    try {
      const [vector] = await embedder.embed([text]);
      return { model: embedder.model, vector };
    } catch (error) {
      logger.warn(
        `Could not embed incident ${incidentId} with ${embedder.model}; indexed for words and structure only: ${error}`,
      );
      return undefined;
    }
  }
}
