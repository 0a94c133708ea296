import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AiopsCorrelationApi,
  AiopsDeployRiskApi,
  AiopsIngestApi,
  AiopsNarratorApi,
  AiopsRegressionApi,
  AiopsRetrievalApi,
  type DeliveryStatus,
  type IncidentQuery,
  type ResolutionInput,
  type SilenceSpec,
  type TypedResponse,
} from '@aiops/plugin-aiops-common';
import type { AiopsApi } from './AiopsApi';

/** A boolean query parameter as ingest's spec spells it. */
const flag = (value: boolean): 'true' | 'false' => (value ? 'true' : 'false');

/**
 * Talks to aiops-correlation, aiops-ingest, aiops-narrator, aiops-retrieval, aiops-regression
 * and aiops-deploy-risk with the signed-in user's token, through the
 * clients generated from their OpenAPI specs; an error answer throws `ResponseError`.
 */
export class AiopsClient implements AiopsApi {
  private readonly correlation: AiopsCorrelationApi.DefaultApiClient;
  private readonly ingest: AiopsIngestApi.DefaultApiClient;
  private readonly narrator: AiopsNarratorApi.DefaultApiClient;
  private readonly retrieval: AiopsRetrievalApi.DefaultApiClient;
  private readonly regression: AiopsRegressionApi.DefaultApiClient;
  private readonly deployRisk: AiopsDeployRiskApi.DefaultApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.correlation = new AiopsCorrelationApi.DefaultApiClient(options);
    this.ingest = new AiopsIngestApi.DefaultApiClient(options);
    this.narrator = new AiopsNarratorApi.DefaultApiClient(options);
    this.retrieval = new AiopsRetrievalApi.DefaultApiClient(options);
    this.regression = new AiopsRegressionApi.DefaultApiClient(options);
    this.deployRisk = new AiopsDeployRiskApi.DefaultApiClient(options);
  }

  getEntityHealth(entityRef: string) {
    return read(this.correlation.getEntityHealth({ path: { entityRef } }));
  }

  listIncidents(query: IncidentQuery) {
    // The spec takes each list comma-separated or repeated; one comma-separated value keeps
    // the URL short.
    const list = (values?: string[]) => values && [values.join(',')];
    return read(
      this.correlation.listIncidents({
        query: {
          ...query,
          status: list(query.status),
          severity: list(query.severity),
        },
      }),
    );
  }

  getIncident(id: string) {
    return read(this.correlation.getIncident({ path: { id } }));
  }

  listIncidentTimeline(
    id: string,
    options: { before?: string; limit?: number },
  ) {
    return read(
      this.correlation.listIncidentTimeline({ path: { id }, query: options }),
    );
  }

  acknowledgeIncident(id: string) {
    return read(this.correlation.acknowledgeIncident({ path: { id } }));
  }

  resolveIncident(id: string, resolution?: ResolutionInput) {
    return read(
      this.correlation.resolveIncident({
        path: { id },
        ...(resolution && { body: { resolution } }),
      }),
    );
  }

  reopenIncident(id: string) {
    return read(this.correlation.reopenIncident({ path: { id } }));
  }

  addNote(id: string, text: string) {
    return read(
      this.correlation.addIncidentNote({ path: { id }, body: { text } }),
    );
  }

  getStats(options: { from?: string; to?: string } = {}) {
    return read(this.correlation.getStats({ query: options }));
  }

  listIncidentNotifications(id: string) {
    return read(this.correlation.listIncidentNotifications({ path: { id } }));
  }

  listNotifications(options: { status?: DeliveryStatus; limit?: number }) {
    return read(this.correlation.listNotifications({ query: options }));
  }

  getNotificationStatus() {
    return read(this.correlation.getNotificationStatus());
  }

  retryNotification(id: string) {
    return read(this.correlation.retryNotification({ path: { id } }));
  }

  listSilences(options: { includeExpired?: boolean } = {}) {
    return read(this.correlation.listSilences({ query: options }));
  }

  createSilence(spec: SilenceSpec) {
    return read(this.correlation.createSilence({ body: spec }));
  }

  expireSilence(id: string) {
    return read(this.correlation.expireSilence({ path: { id } }));
  }

  async listAlerts(options: {
    entityRef?: string;
    unowned?: boolean;
    status?: 'firing' | 'resolved';
    limit?: number;
  }) {
    const { unowned, limit } = options;
    const page = await read(
      this.ingest.listAlerts({
        query: {
          ...options,
          unowned: unowned === undefined ? undefined : flag(unowned),
          limit: limit === undefined ? undefined : String(limit),
        },
      }),
    );
    // Without `after` or `id`, ingest answers a page of alerts.
    return page as AiopsIngestApi.AlertPage;
  }

  getIncidentNarrative(id: string) {
    return read(this.narrator.getIncidentNarrative({ path: { id } }));
  }

  regenerateIncidentNarrative(id: string) {
    return read(this.narrator.regenerateIncidentNarrative({ path: { id } }));
  }

  getNarratorStatus() {
    return read(this.narrator.getNarratorStatus({}));
  }

  getSimilarIncidents(id: string, options: { k?: number } = {}) {
    return read(
      this.retrieval.getSimilarIncidents({ path: { id }, query: options }),
    );
  }

  searchIncidents(request: AiopsRetrievalApi.SearchRequest) {
    return read(this.retrieval.searchIncidents({ body: request }));
  }

  async listDeployments(options: { entityRef: string; limit?: number }) {
    const { entityRef, limit } = options;
    const page = await read(
      this.ingest.listDeployments({
        query: {
          entityRef,
          limit: limit === undefined ? undefined : String(limit),
        },
      }),
    );
    // Without `after`, ingest answers a page of deployments.
    return page as AiopsIngestApi.DeploymentPage;
  }

  listRegressions(options: {
    entityRef: string;
    status?: AiopsRegressionApi.Regression['status'][];
  }) {
    const { entityRef, status } = options;
    return read(
      this.regression.listRegressions({
        query: { entityRef, status: status?.join(',') },
      }),
    );
  }

  acknowledgeRegression(id: string) {
    return read(this.regression.acknowledgeRegression({ path: { id } }));
  }

  dismissRegression(id: string) {
    return read(this.regression.dismissRegression({ path: { id } }));
  }

  getEntitySeries(
    entityRef: string,
    options: { metric: string; from?: string; to?: string },
  ) {
    return read(
      this.regression.getEntitySeries({
        path: { entityRef },
        query: options,
      }),
    );
  }

  listAssessments(options: { entityRef: string; limit?: number }) {
    return read(this.deployRisk.listAssessments({ query: options }));
  }
}

/** The answer's body, or a `ResponseError` for an error status. */
async function read<T>(response: Promise<TypedResponse<T>>): Promise<T> {
  const answer = await response;
  if (!answer.ok) throw await ResponseError.fromResponse(answer);
  return answer.json();
}
