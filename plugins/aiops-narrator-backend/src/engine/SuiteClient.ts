import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { AiopsIngestApi, type Deployment } from '@aiops/plugin-aiops-common';
import {
  HttpCorrelationReader,
  HttpRetrievalReader,
  readOk,
  suiteClientOptions,
  withServiceToken,
  type CorrelationReader,
  type RetrievalReader,
} from '@aiops/plugin-aiops-node';

/** What the narrator reads from correlation, ingest and retrieval. */
export interface SuiteClient extends CorrelationReader, RetrievalReader {
  /** Ingest's deployments of these entities since `from`, newest first. */
  deployments(entityRefs: string[], from: string): Promise<Deployment[]>;
}

/** Deployments read per entity asked for: what changed is the last few, not the history. */
const DEPLOYMENTS_PER_ENTITY = 20;

/**
 * Correlation and retrieval (through aiops-node's readers) and ingest over HTTP,
 * through the clients generated from their specs, with this plugin's service credentials.
 */
export class HttpSuiteClient implements SuiteClient {
  private readonly correlation: HttpCorrelationReader;
  private readonly ingest: AiopsIngestApi.DefaultApiClient;
  private readonly retrieval: HttpRetrievalReader;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {
    this.correlation = new HttpCorrelationReader(options);
    this.retrieval = new HttpRetrievalReader(options);
    this.ingest = new AiopsIngestApi.DefaultApiClient(
      suiteClientOptions(options.discovery, AiopsIngestApi.pluginId),
    );
  }

  changes(after: string, limit: number) {
    return this.correlation.changes(after, limit);
  }

  incident(id: string) {
    return this.correlation.incident(id);
  }

  similar(incidentId: string, k: number) {
    return this.retrieval.similar(incidentId, k);
  }

  async deployments(entityRefs: string[], from: string) {
    if (entityRefs.length === 0) return [];
    const response = await withServiceToken(
      this.options.auth,
      AiopsIngestApi.pluginId,
      options =>
        this.ingest.listDeployments(
          {
            query: {
              // One read for all of them: a storm narrates many incidents, and a read per
              // entity was most of the narrator's requests.
              entityRefs: entityRefs.join(','),
              from,
              limit: String(DEPLOYMENTS_PER_ENTITY * entityRefs.length),
            },
          },
          options,
        ),
    );
    const page = (await readOk(response)) as AiopsIngestApi.DeploymentPage;
    return page.items;
  }
}
