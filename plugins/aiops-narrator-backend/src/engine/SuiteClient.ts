import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AiopsCorrelationApi,
  AiopsIngestApi,
  type Deployment,
  type Feed,
  type IncidentChangeFeedItem,
  type IncidentDetails,
  type RequestOptions,
  type TypedResponse,
} from '@aiops/plugin-aiops-common';

/** What the narrator reads from correlation and ingest. */
export interface SuiteClient {
  /** Correlation's change feed (`GET /changes?after=&limit=`). */
  changes(after: string, limit: number): Promise<Feed<IncidentChangeFeedItem>>;
  /** One incident with its alerts and findings; undefined when correlation knows none. */
  incident(id: string): Promise<IncidentDetails | undefined>;
  /** Ingest's deployments of an entity since `from`, newest first. */
  deployments(entityRef: string, from: string): Promise<Deployment[]>;
}

/** Most deployments read per entity: what changed is the last few, not the history. */
const DEPLOYMENTS_PER_ENTITY = 20;

/**
 * Correlation and ingest over HTTP, through the clients generated from their specs, with this
 * plugin's service credentials (service-to-service; no user's token is passed on).
 */
export class HttpSuiteClient implements SuiteClient {
  private readonly correlation: AiopsCorrelationApi.DefaultApiClient;
  private readonly ingest: AiopsIngestApi.DefaultApiClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {
    const clientOptions = (pluginId: string) => ({
      discoveryApi: {
        getBaseUrl: () => options.discovery.getBaseUrl(pluginId),
      },
      // The global fetch as it is at each call (tests intercept it).
      fetchApi: {
        get fetch() {
          return globalThis.fetch;
        },
      },
    });
    this.correlation = new AiopsCorrelationApi.DefaultApiClient(
      clientOptions(AiopsCorrelationApi.pluginId),
    );
    this.ingest = new AiopsIngestApi.DefaultApiClient(
      clientOptions(AiopsIngestApi.pluginId),
    );
  }

  async changes(after: string, limit: number) {
    const response = await this.send(AiopsCorrelationApi.pluginId, options =>
      this.correlation.listIncidentChanges(
        { query: { after, limit } },
        options,
      ),
    );
    return this.read(response) as Promise<Feed<IncidentChangeFeedItem>>;
  }

  async incident(id: string) {
    const response = await this.send(AiopsCorrelationApi.pluginId, options =>
      this.correlation.getIncident({ path: { id } }, options),
    );
    if (response.status === 404) return undefined;
    return this.read(response);
  }

  async deployments(entityRef: string, from: string) {
    const response = await this.send(AiopsIngestApi.pluginId, options =>
      this.ingest.listDeployments(
        {
          query: {
            entityRef,
            from,
            limit: String(DEPLOYMENTS_PER_ENTITY),
          },
        },
        options,
      ),
    );
    const page = (await this.read(response)) as AiopsIngestApi.DeploymentPage;
    return page.items;
  }

  private async send<T>(
    pluginId: string,
    call: (options: RequestOptions) => Promise<TypedResponse<T>>,
  ): Promise<TypedResponse<T>> {
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf: await this.options.auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    return call({ token });
  }

  private async read<T>(response: TypedResponse<T>): Promise<T> {
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}
