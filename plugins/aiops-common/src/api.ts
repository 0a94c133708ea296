import type { EntityRef, Incident, Severity } from './types';

/*
 * What the suite's HTTP APIs answer, as the frontend and other callers read it. The backends'
 * OpenAPI specs (`src/schema/openapi.yaml`) are the contract: the shapes below are the types
 * generated from them (`npm run openapi:generate`), under the names the suite uses. Only the
 * generic pages and feeds and the incident query are written by hand; `apiContract.test.ts`
 * fails to compile when they, or the domain types in `types.ts`, drift from the specs.
 */
export type {
  Delivery as NotificationDelivery,
  DeliveryStatus,
  EntityHealth,
  EntityHealthStatus,
  GroupStats as IncidentGroupStats,
  IncidentAlertDetails,
  IncidentAlertLink,
  IncidentChange as RecordedIncidentChange,
  IncidentChangeFeedItem,
  IncidentChangeKind,
  IncidentDetails,
  IncidentEscalationStep,
  IncidentSummary,
  Matcher as SilenceMatcherSpec,
  ResolutionInput,
  NotificationChannelKind,
  NotificationStatus,
  ResponseTimes,
  Silence,
  SilenceSpec,
  Stats as IncidentStats,
  StoredFinding,
  Suppression,
  SuppressionReason,
  TimelineEntry as IncidentTimelineEntry,
} from './schema/openapi/generated/aiops-correlation/models';

export interface Page<T> {
  items: T[];
  /** Present when there may be more; pass back as `cursor`. */
  nextCursor?: string;
}

/** One item of a change feed with its cursor. */
export interface FeedItem<T> {
  item: T;
  cursor: string;
}

/**
 * A page of a change feed (`GET /alerts?after=`): items changed after a cursor, oldest first,
 * and the cursor to continue from. Cursors are handed out in commit order, so a reader that saw
 * cursor `n` has seen every change up to `n`.
 */
export interface Feed<T> {
  items: Array<FeedItem<T>>;
  cursor: string;
}

/**
 * `GET /api/aiops-correlation/incidents` as callers and the store take it: the spec's query
 * parameters (the same names), with statuses and severities as lists of their values rather
 * than the comma-separated strings on the wire.
 */
export interface IncidentQuery {
  /** Primary or affected entity. */
  entityRef?: EntityRef;
  owner?: EntityRef;
  system?: EntityRef;
  status?: Incident['status'][];
  severity?: Severity[];
  /** ISO 8601: incidents still unresolved at or after this time. */
  from?: string;
  /** ISO 8601: incidents opened before this time. */
  to?: string;
  limit?: number;
  cursor?: string;
}
