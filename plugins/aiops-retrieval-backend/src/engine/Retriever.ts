import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RetrievalStore, SearchFilters } from '../database/RetrievalStore';
import { documentText } from '../service/documentText';
import type { Embedder } from '../service/embedder';
import {
  explainRanked,
  rankCandidates,
  type Candidate,
  type RankedHit,
  type RetrievalQuery,
} from '../service/rankCandidates';
import { tokenize } from '../service/tokenize';
import type { FusionOptions, IncidentDocument } from '../service/types';

/** Candidates read from each of the lexical and structural lists before ranking. */
export const CANDIDATES_PER_LIST = 100;

export interface RetrievalResult {
  hits: RankedHit[];
  /** `lexical-structural` when the embedder failed and vectors were left out. */
  mode: 'hybrid' | 'lexical-structural';
  model: string;
  fusion: FusionOptions['method'];
}

/**
 * Answers "which past incidents are like this": candidates from the store's lexical and
 * structural lists, vectors scored here, ranked and explained by `rankCandidates`.
 */
export class Retriever {
  constructor(
    private readonly options: {
      store: RetrievalStore;
      embedder: Embedder;
      fusion: FusionOptions;
      logger: LoggerService;
    },
  ) {}

  /** Past incidents like this one (itself excluded). */
  similar(document: IncidentDocument, k: number): Promise<RetrievalResult> {
    return this.retrieve(
      documentText(document),
      { structure: document, excludeIncidentId: document.incidentId },
      k,
    );
  }

  /** Incidents matching free text, within the filters. */
  search(
    text: string,
    filters: SearchFilters,
    k: number,
  ): Promise<RetrievalResult> {
    return this.retrieve(text, {}, k, filters);
  }

  private async retrieve(
    text: string,
    query: Omit<RetrievalQuery, 'tokens' | 'vector'>,
    k: number,
    filters?: SearchFilters,
  ): Promise<RetrievalResult> {
    const { store, embedder, fusion } = this.options;
    const tokens = tokenize(text);
    const hybrid = store.hybrid?.bind(store);
    // The embedding and the store's lists are read at the same time.
    const [vector, candidates = []] = await Promise.all([
      this.embed(text),
      hybrid ? undefined : this.candidates(tokens, query, filters),
    ]);
    const ranked = { ...query, tokens, vector };
    const hits = hybrid
      ? explainRanked(
          ranked,
          await hybrid({
            text: tokens.join(' '),
            vector,
            model: embedder.model,
            structure: query.structure,
            excludeIncidentId: query.excludeIncidentId,
            filters,
            // The query's own incident and merged ones are left out after.
            limit: 2 * k + 1,
            fusion,
          }),
          k,
        )
      : rankCandidates(ranked, candidates, { fusion, k });
    return {
      hits,
      mode: vector ? 'hybrid' : 'lexical-structural',
      model: embedder.model,
      fusion: fusion.method,
    };
  }

  /** The lexical and structural lists' documents, for ranking here. */
  private async candidates(
    tokens: string[],
    query: Omit<RetrievalQuery, 'tokens' | 'vector'>,
    filters?: SearchFilters,
  ): Promise<Candidate[]> {
    const { store, embedder } = this.options;
    const options = { limit: CANDIDATES_PER_LIST, filters };
    const [lexical, structural] = await Promise.all([
      store.lexical(tokens, options),
      query.structure
        ? store.structural(query.structure, options)
        : Promise.resolve([]),
    ]);
    const lexicalScores = new Map(lexical.map(h => [h.incidentId, h.score]));
    const ids = [...new Set([...lexicalScores.keys(), ...structural])];
    return (await store.candidates(ids, embedder.model)).map(candidate => ({
      ...candidate,
      lexical: lexicalScores.get(candidate.document.incidentId),
    }));
  }

  private async embed(text: string): Promise<Float32Array | undefined> {
    try {
      const [vector] = await this.options.embedder.embed([text]);
      return vector;
    } catch (error) {
      this.options.logger.warn(
        `Embedder ${this.options.embedder.model} failed; answering lexical and structural matches only: ${error}`,
      );
      return undefined;
    }
  }
}
