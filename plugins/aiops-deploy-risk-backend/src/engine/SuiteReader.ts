import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AiopsCorrelationApi,
  AiopsIngestApi,
  AiopsRegressionApi,
  type Deployment,
  type Feed,
  type Incident,
} from '@aiops/plugin-aiops-common';
import {
  readOk,
  suiteClientOptions,
  withServiceToken,
} from '@aiops/plugin-aiops-node';

/** A regression as the detector serves it, reduced to what risk and outcomes need. */
export interface SuiteRegression {
  id: string;
  entityRef: string;
  metric: string;
  relativeChange: number;
  /** When the new level began. */
  changeAt: string;
  status: string;
}

/**
 * What deploy risk reads from the other suite plugins. The plugin implements it over their HTTP
 * APIs with its own service token; tests may implement it over plain data.
 */
export interface SuiteReader {
  /** Incidents on any of `entityRefs` that are open or acknowledged now. */
  openIncidents(entityRef: string): Promise<Incident[]>;
  /** Incidents on `entityRef` (primary or affected) opened in [from, to). */
  incidentsOpened(
    entityRef: string,
    from: string,
    to: string,
  ): Promise<Incident[]>;
  /** The entity's deployments started in [from, to), any environment unless given. */
  deployments(
    entityRef: string,
    from: string,
    to?: string,
    environment?: string,
  ): Promise<Deployment[]>;
  /** Ingest's deployment change feed after `after`, oldest first (`GET /deployments?after=`). */
  deploymentFeed(after: string, limit: number): Promise<Feed<Deployment>>;
  /** Regressions on the entity with one of `statuses`; none when the detector is not installed. */
  regressions(
    entityRef: string,
    statuses: string[],
  ): Promise<SuiteRegression[]>;
}

const MAX_PAGE = 1000;

/** `SuiteReader` over correlation's, ingest's and the regression detector's APIs. */
export class HttpSuiteReader implements SuiteReader {
  private readonly correlation: AiopsCorrelationApi.DefaultApiClient;
  private readonly ingest: AiopsIngestApi.DefaultApiClient;
  private readonly regression: AiopsRegressionApi.DefaultApiClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {
    const { discovery } = options;
    this.correlation = new AiopsCorrelationApi.DefaultApiClient(
      suiteClientOptions(discovery, AiopsCorrelationApi.pluginId),
    );
    this.ingest = new AiopsIngestApi.DefaultApiClient(
      suiteClientOptions(discovery, AiopsIngestApi.pluginId),
    );
    this.regression = new AiopsRegressionApi.DefaultApiClient(
      suiteClientOptions(discovery, AiopsRegressionApi.pluginId),
    );
  }

  private async incidents(
    query: AiopsCorrelationApi.ListIncidentsQuery,
  ): Promise<Incident[]> {
    const response = await withServiceToken(
      this.options.auth,
      AiopsCorrelationApi.pluginId,
      options =>
        this.correlation.listIncidents(
          { query: { ...query, limit: 200 } },
          options,
        ),
    );
    return (await readOk(response)).items;
  }

  openIncidents(entityRef: string) {
    return this.incidents({ entityRef, status: ['open', 'acknowledged'] });
  }

  async incidentsOpened(entityRef: string, from: string, to: string) {
    // `from` is "still unresolved at or after", `to` "opened before": the ones opened before
    // `from` are left out here.
    const items = await this.incidents({ entityRef, from, to });
    return items.filter(i => Date.parse(i.openedAt) >= Date.parse(from));
  }

  async deployments(
    entityRef: string,
    from: string,
    to?: string,
    environment?: string,
  ): Promise<Deployment[]> {
    const response = await withServiceToken(
      this.options.auth,
      AiopsIngestApi.pluginId,
      options =>
        this.ingest.listDeployments(
          {
            query: {
              entityRef,
              from,
              ...(to ? { to } : {}),
              ...(environment ? { environment } : {}),
              limit: String(MAX_PAGE),
            },
          },
          options,
        ),
    );
    return ((await readOk(response)) as AiopsIngestApi.DeploymentPage).items;
  }

  async deploymentFeed(
    after: string,
    limit: number,
  ): Promise<Feed<Deployment>> {
    const response = await withServiceToken(
      this.options.auth,
      AiopsIngestApi.pluginId,
      options =>
        this.ingest.listDeployments(
          { query: { after, limit: String(limit) } },
          options,
        ),
    );
    return (await readOk(response)) as AiopsIngestApi.DeploymentFeed;
  }

  async regressions(entityRef: string, statuses: string[]) {
    const response = await withServiceToken(
      this.options.auth,
      AiopsRegressionApi.pluginId,
      options =>
        this.regression.listRegressions(
          { query: { entityRef, status: statuses.join(','), limit: 200 } },
          options,
        ),
    );
    // The detector is optional: a backend without it answers 404 for its routes.
    if (response.status === 404) return [];
    return (await readOk(response)).items.map(r => ({
      id: r.id,
      entityRef: r.entityRef,
      metric: r.metric,
      relativeChange: r.relativeChange ?? 0,
      changeAt: r.changeAt,
      status: r.status,
    }));
  }
}
