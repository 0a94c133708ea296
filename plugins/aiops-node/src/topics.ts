import type {
  Alert,
  Deployment,
  Incident,
  Regression,
} from '@aiops/plugin-aiops-common';

/**
 * Topics published through Backstage's EventsService. Delivery is at-least-once: consumers are
 * idempotent by id and catch up from the producer's change feed after downtime.
 */
export const AIOPS_TOPICS = {
  alertReceived: 'aiops.alert.received',
  deploymentReceived: 'aiops.deployment.received',
  incidentChanged: 'aiops.incident.changed',
  regressionDetected: 'aiops.regression.detected',
} as const;

export type AiopsTopic = (typeof AIOPS_TOPICS)[keyof typeof AIOPS_TOPICS];

/**
 * Payloads carry the changed entities with the producer's change-feed cursor for catch-up.
 * Alerts and deployments come one event per committed write (requests that arrived together are
 * written together), listing every state change in it in cursor order: each event costs a bus
 * round-trip, and a storm arrives as many requests at once.
 */
export interface AiopsEventPayloads {
  [AIOPS_TOPICS.alertReceived]: {
    alerts: Array<{ alert: Alert; cursor: string }>;
  };
  [AIOPS_TOPICS.deploymentReceived]: {
    deployments: Array<{ deployment: Deployment; cursor: string }>;
  };
  [AIOPS_TOPICS.incidentChanged]: {
    incident: Incident;
    change:
      | 'opened'
      | 'updated'
      | 'acknowledged'
      | 'resolved'
      | 'reopened'
      | 'merged';
    /**
     * The cursor of the incident's newest change in correlation's change feed
     * (`GET /api/aiops-correlation/changes?after=`) when this was announced; a consumer at or
     * past it has read the change (`FeedConsumer.reached`). Absent when the feed could not be
     * read, or the incident has recorded no change yet.
     */
    cursor?: string;
  };
  [AIOPS_TOPICS.regressionDetected]: { regression: Regression };
}
