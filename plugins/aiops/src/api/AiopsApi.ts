import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AiopsDeployRiskApi,
  AiopsNarratorApi,
  AiopsRegressionApi,
  AiopsRetrievalApi,
  Alert,
  Deployment,
  EntityHealth,
  Incident,
  IncidentDetails,
  IncidentQuery,
  IncidentStats,
  IncidentTimelineEntry,
  NotificationDelivery,
  NotificationStatus,
  DeliveryStatus,
  Page,
  ResolutionInput,
  Silence,
  SilenceSpec,
} from '@aiops/plugin-aiops-common';

/** The suite's backends as the frontend uses them: one client for every panel. */
export interface AiopsApi {
  getEntityHealth(entityRef: string): Promise<EntityHealth>;
  listIncidents(query: IncidentQuery): Promise<Page<Incident>>;
  /** The incident with its newest timeline entries; `olderTimelineCursor` pages the rest. */
  getIncident(id: string): Promise<IncidentDetails>;
  /** Timeline entries before `before` (an `olderTimelineCursor` or `nextCursor`), oldest first. */
  listIncidentTimeline(
    id: string,
    options: { before?: string; limit?: number },
  ): Promise<Page<IncidentTimelineEntry>>;
  acknowledgeIncident(id: string): Promise<Incident>;
  /**
   * Resolves, with what fixed it when given; on a resolved incident a resolution replaces the
   * recorded one.
   */
  resolveIncident(id: string, resolution?: ResolutionInput): Promise<Incident>;
  reopenIncident(id: string): Promise<Incident>;
  addNote(id: string, text: string): Promise<IncidentTimelineEntry>;
  getStats(options?: { from?: string; to?: string }): Promise<IncidentStats>;
  listIncidentNotifications(id: string): Promise<Page<NotificationDelivery>>;
  listNotifications(options: {
    status?: DeliveryStatus;
    limit?: number;
  }): Promise<Page<NotificationDelivery>>;
  getNotificationStatus(): Promise<NotificationStatus>;
  retryNotification(id: string): Promise<NotificationDelivery>;
  listSilences(options?: { includeExpired?: boolean }): Promise<Page<Silence>>;
  createSilence(spec: SilenceSpec): Promise<Silence>;
  expireSilence(id: string): Promise<Silence>;
  /** Alerts from aiops-ingest: e.g. unowned ones, or an entity's. */
  listAlerts(options: {
    entityRef?: string;
    unowned?: boolean;
    status?: 'firing' | 'resolved';
    limit?: number;
  }): Promise<Page<Alert>>;
  /** The incident's narrative from aiops-narrator: `current` is null until one is written. */
  getIncidentNarrative(
    id: string,
  ): Promise<AiopsNarratorApi.IncidentNarratives>;
  /** Narrates the incident now, asking the model again; needs `aiops.incident.update`. */
  regenerateIncidentNarrative(
    id: string,
  ): Promise<AiopsNarratorApi.RegenerateIncidentNarrativeResponse>;
  /** The LLM service's provider, breaker, budget and today's tokens and cost, from aiops-narrator. */
  getNarratorStatus(): Promise<AiopsNarratorApi.GetNarratorStatusResponse>;
  /**
   * The past incidents most like this one, from aiops-retrieval: each with its score, why it
   * matched and how it was resolved. `k` is 1 to 50 (the backend's default: 5).
   */
  getSimilarIncidents(
    id: string,
    options?: { k?: number },
  ): Promise<AiopsRetrievalApi.SimilarIncidents>;
  /** Every indexed incident matching free text (and the filters given), best first, from aiops-retrieval. */
  searchIncidents(
    request: AiopsRetrievalApi.SearchRequest,
  ): Promise<AiopsRetrievalApi.RetrievalResult>;
  /** The entity's deployments from aiops-ingest, newest first. */
  listDeployments(options: {
    entityRef: string;
    limit?: number;
  }): Promise<Page<Deployment>>;
  /** Regressions from the regression detector (aiops-regression), newest change first. */
  listRegressions(options: {
    entityRef: string;
    status?: AiopsRegressionApi.Regression['status'][];
  }): Promise<AiopsRegressionApi.RegressionList>;
  /** Marks a regression as being looked at; needs `aiops.incident.update` (or owning the entity). */
  acknowledgeRegression(id: string): Promise<AiopsRegressionApi.Regression>;
  /** Marks a regression as not one; the same change is not raised again. */
  dismissRegression(id: string): Promise<AiopsRegressionApi.Regression>;
  /** One metric of the entity between `from` and `to`, with change points and deploy markers. */
  getEntitySeries(
    entityRef: string,
    options: { metric: string; from?: string; to?: string },
  ): Promise<AiopsRegressionApi.EntitySeries>;
  /** The entity's deploy-risk assessments from aiops-deploy-risk, newest first. */
  listAssessments(options: {
    entityRef: string;
    limit?: number;
  }): Promise<AiopsDeployRiskApi.AssessmentList>;
}

export const aiopsApiRef = createApiRef<AiopsApi>({
  id: 'plugin.aiops.service',
});
