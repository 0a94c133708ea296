import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AiopsCorrelationApi,
  type Feed,
  type IncidentChangeFeedItem,
  type IncidentDetails,
} from '@aiops/plugin-aiops-common';
import { readOk, suiteClientOptions, withServiceToken } from './serviceCalls';

/** What plugins that follow incidents (narrator, retrieval) read from correlation. */
export interface CorrelationReader {
  /** Correlation's change feed (`GET /changes?after=&limit=`). */
  changes(after: string, limit: number): Promise<Feed<IncidentChangeFeedItem>>;
  /**
   * One incident with its alerts and findings (without its timeline, which neither reader
   * needs: it is up to 200 entries); undefined when correlation knows none.
   */
  incident(id: string): Promise<IncidentDetails | undefined>;
}

/** `CorrelationReader` over HTTP with the calling plugin's service credentials. */
export class HttpCorrelationReader implements CorrelationReader {
  private readonly client: AiopsCorrelationApi.DefaultApiClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {
    this.client = new AiopsCorrelationApi.DefaultApiClient(
      suiteClientOptions(options.discovery, AiopsCorrelationApi.pluginId),
    );
  }

  async changes(after: string, limit: number) {
    const response = await withServiceToken(
      this.options.auth,
      AiopsCorrelationApi.pluginId,
      options =>
        this.client.listIncidentChanges({ query: { after, limit } }, options),
    );
    return readOk(response) as Promise<Feed<IncidentChangeFeedItem>>;
  }

  async incident(id: string) {
    const response = await withServiceToken(
      this.options.auth,
      AiopsCorrelationApi.pluginId,
      options =>
        this.client.getIncident(
          { path: { id }, query: { timeline: 'false' } },
          options,
        ),
    );
    if (response.status === 404) return undefined;
    return readOk(response);
  }
}
