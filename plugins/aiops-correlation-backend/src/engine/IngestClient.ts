import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AiopsIngestApi,
  type Alert,
  type Deployment,
  type Feed,
  type Page,
  type RequestOptions,
  type TypedResponse,
} from '@aiops/plugin-aiops-common';

export type { Feed };

/** Calls from one entity key to another seen in traces (ingest's `GET /topology`). */
export type ObservedCall = AiopsIngestApi.ObservedCall;

/**
 * What correlation reads from aiops-ingest. Feed cursors are ingest's commit-ordered sequence
 * numbers: a consumer that saw cursor `n` has seen every change up to `n`.
 */
export interface IngestClient {
  alertFeed(after: string, limit: number): Promise<Feed<Alert>>;
  deploymentFeed(after: string, limit: number): Promise<Feed<Deployment>>;
  listAlerts(query: {
    entityRef?: string;
    status?: Alert['status'];
    unowned?: boolean;
    limit: number;
  }): Promise<Page<Alert>>;
  listDeployments(query: {
    entityRef?: string;
    limit: number;
  }): Promise<Page<Deployment>>;
  /** Calls seen in traces over the last `sinceMs`. */
  observedCalls(sinceMs: number): Promise<ObservedCall[]>;
  /**
   * The alerts stored under these ids (at most `MAX_ALERT_LOOKUP` per call), in the order asked
   * for; `missing` lists the ids ingest holds no alert under.
   */
  getAlerts(ids: string[]): Promise<AiopsIngestApi.AlertLookup>;
}

/** A boolean query parameter as ingest's spec spells it. */
const flag = (value: boolean): 'true' | 'false' => (value ? 'true' : 'false');

/** Ingest's bound on ids per lookup (`GET /alerts?id=…`, the spec's `maxItems`). */
export const MAX_ALERT_LOOKUP = 200;

/**
 * Talks to aiops-ingest over HTTP with this plugin's service credentials, through the client
 * generated from ingest's OpenAPI spec. `GET /alerts` and `GET /deployments` answer a page, a
 * feed page (with `after`) or a lookup (with `id`); each method asks for one and reads it so.
 */
export class HttpIngestClient implements IngestClient {
  private readonly client: AiopsIngestApi.DefaultApiClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      pluginId?: string;
    },
  ) {
    const pluginId = options.pluginId ?? AiopsIngestApi.pluginId;
    this.client = new AiopsIngestApi.DefaultApiClient({
      discoveryApi: {
        getBaseUrl: () => options.discovery.getBaseUrl(pluginId),
      },
      // The global fetch as it is at each call, as before the generated client.
      fetchApi: {
        get fetch() {
          return globalThis.fetch;
        },
      },
    });
  }

  async alertFeed(after: string, limit: number) {
    const page = await this.read(options =>
      this.client.listAlerts(
        { query: { after, limit: String(limit) } },
        options,
      ),
    );
    return page as AiopsIngestApi.AlertFeed;
  }

  async deploymentFeed(after: string, limit: number) {
    const page = await this.read(options =>
      this.client.listDeployments(
        { query: { after, limit: String(limit) } },
        options,
      ),
    );
    return page as AiopsIngestApi.DeploymentFeed;
  }

  async listAlerts(query: Parameters<IngestClient['listAlerts']>[0]) {
    const page = await this.read(options =>
      this.client.listAlerts(
        {
          query: {
            entityRef: query.entityRef,
            status: query.status,
            unowned:
              query.unowned === undefined ? undefined : flag(query.unowned),
            limit: String(query.limit),
          },
        },
        options,
      ),
    );
    return page as AiopsIngestApi.AlertPage;
  }

  async listDeployments(query: Parameters<IngestClient['listDeployments']>[0]) {
    const page = await this.read(options =>
      this.client.listDeployments(
        {
          query: { entityRef: query.entityRef, limit: String(query.limit) },
        },
        options,
      ),
    );
    return page as AiopsIngestApi.DeploymentPage;
  }

  async observedCalls(sinceMs: number) {
    const now = Date.now();
    const topology = await this.read(options =>
      this.client.getObservedTopology(
        {
          query: {
            from: new Date(now - sinceMs).toISOString(),
            to: new Date(now).toISOString(),
          },
        },
        options,
      ),
    );
    return topology.edges;
  }

  async getAlerts(ids: string[]) {
    const lookup = await this.read(options =>
      this.client.listAlerts({ query: { id: ids } }, options),
    );
    return lookup as AiopsIngestApi.AlertLookup;
  }

  /** One request with this plugin's service token; an error status throws `ResponseError`. */
  private async read<T>(
    call: (options: RequestOptions) => Promise<TypedResponse<T>>,
  ): Promise<T> {
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf: await this.options.auth.getOwnServiceCredentials(),
      targetPluginId: this.options.pluginId ?? AiopsIngestApi.pluginId,
    });
    const response = await call({ token });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}
