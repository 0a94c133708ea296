import type {
  EntityRef,
  Finding,
  Incident,
  IncidentAlertLink,
  IncidentDetails,
  IncidentGroupStats,
  IncidentQuery,
  IncidentStatus,
  IncidentTimelineEntry,
  Page,
  ResolutionInput,
  ResponseTimes,
  Severity,
  StoredFinding,
} from '@aiops/plugin-aiops-common';
import type { WindowStats } from '../service/incidentStats';
import type { CorrelationDecision } from '../service/types';
import type { IncidentFilter } from './incidentFilter';

export interface ApplyContext {
  /**
   * ISO 8601. Use the correlated event's `at`: it stamps the rows and is part of the
   * deterministic timeline entry ids, so replaying the same step inserts nothing new.
   */
  now: string;
  /** Timeline actor of the decisions; `system` when absent. */
  actor?: string;
  /**
   * The core's current state of the incidents this step touched: pass `state.incidents[id]`
   * (an `IncidentState` fits). Decisions do not carry every change — a new alert can change
   * title, severity, primary entity, affected entities, owner or system, and the findings of
   * an incident that opens in this step come only with its snapshot — so a snapshot of a
   * stored incident refreshes those columns, and its `findingsByKey` (when given) becomes the
   * incident's set of findings (changed ones replaced, dropped ones deleted). Status and
   * timestamps always come from the decisions and the lifecycle calls.
   */
  snapshots?: IncidentSnapshot[];
}

export interface IncidentSnapshot {
  incident: Incident;
  findingsByKey?: Record<string, Finding>;
}

export interface AppliedDecisions {
  /** Incidents this call created; a replica whose open lost the race gets none. */
  opened: string[];
  /**
   * Incident ids of `open-incident` decisions that already existed under another id with the
   * same open correlation key, mapped to the stored id (later decisions of the step are
   * redirected to it).
   */
  redirected: Record<string, string>;
  /** Decisions with nothing to persist here (`hold`, `ignore`, suppressions outside incidents). */
  skipped: number;
}

// The API's shapes, defined once in aiops-common; the store answers in them.
export type {
  IncidentDetails,
  IncidentGroupStats,
  Page,
  ResponseTimes,
  StoredFinding,
};
export type IncidentAlert = IncidentAlertLink;
export type IncidentAlertRole = IncidentAlert['role'];
export type StoredTimelineEntry = IncidentTimelineEntry;

/**
 * The API's `IncidentQuery` as the store takes it: the page size settled (the router applies
 * its default and bound), and a status or severity alone or several.
 */
export interface IncidentListQuery
  extends Omit<IncidentQuery, 'status' | 'severity' | 'limit'> {
  status?: IncidentStatus | IncidentStatus[];
  severity?: Severity | Severity[];
  limit: number;
}

/** `GET /incidents/{id}/timeline` as the store takes it: the page size settled by the router. */
export interface TimelineQuery {
  /** `olderTimelineCursor` of the incident or `nextCursor` of a timeline page. */
  before?: string;
  limit: number;
}

/** Where an incident stands in the store, which has the last word on people's changes. */
export interface IncidentStatusRow {
  status: IncidentStatus;
  acknowledgedAt?: string;
  resolvedAt?: string;
  mergedInto?: string;
}

/** The incidents opened at or after `from` and at or before `to` count towards response times. */
export interface HealthWindow {
  /** ISO 8601: the start of the window, e.g. 30 days ago. */
  from: string;
  /** ISO 8601: the end of the window (normally now). */
  to: string;
  /** Only incidents the caller may read, when their permission is conditional. */
  filter?: IncidentFilter;
}

export interface EntityIncidentHealth extends ResponseTimes {
  /** Unresolved incidents affecting the entity, most severe first, then newest. */
  open: Incident[];
}

/** Persistence of incidents and their history. Writes are transactional per call. */
export interface IncidentStore {
  /**
   * Persists the decisions of one correlation step in one transaction. Idempotent: replaying
   * the same decisions with the same `now` changes nothing; two replicas opening the same
   * correlation key concurrently produce one incident.
   */
  applyDecisions(
    decisions: CorrelationDecision[],
    context: ApplyContext,
  ): Promise<AppliedDecisions>;

  /**
   * `applyDecisions` for several steps (a correlated batch) in one transaction: each step keeps
   * its own `now`, so the result does not depend on how events were batched.
   */
  applySteps(
    steps: Array<{ decisions: CorrelationDecision[]; context: ApplyContext }>,
  ): Promise<AppliedDecisions[]>;

  /** The incident with its newest timeline entries; `olderTimelineCursor` pages the rest. */
  /** `timeline: false` leaves the timeline out (readers that need the rest only). */
  getIncident(
    id: string,
    options?: { timeline?: boolean },
  ): Promise<IncidentDetails | undefined>;
  /**
   * A page of an incident's timeline entries older than `query.before`, oldest first.
   * `InputError` for a cursor that is not one; an unknown incident has no entries.
   */
  timelinePage(
    id: string,
    query: TimelineQuery,
  ): Promise<Page<StoredTimelineEntry>>;
  listIncidents(query: IncidentListQuery): Promise<Page<Incident>>;

  /** `NotFoundError` for an unknown id, `ConflictError` when resolved; no-op when acknowledged. */
  acknowledge(id: string, actor: string, at: string): Promise<Incident>;
  /**
   * Resolves with what the person recorded about the fix (`resolution`). `NotFoundError` for an
   * unknown id. When already resolved: no-op without a `resolution` or with the recorded one;
   * a different one replaces the note and link (who resolved it and when stay), and
   * `ConflictError` when the incident was merged.
   */
  resolve(
    id: string,
    actor: string,
    at: string,
    resolution?: ResolutionInput,
  ): Promise<Incident>;
  /**
   * `NotFoundError` for an unknown id, `ConflictError` when merged or when another incident is
   * open with the same correlation key; no-op unless resolved.
   */
  reopen(id: string, actor: string, at: string): Promise<Incident>;
  addNote(
    id: string,
    actor: string,
    text: string,
    at: string,
  ): Promise<StoredTimelineEntry>;

  /**
   * Moves the alerts of `sourceId` into `targetId` (the source keeps none), adds its entities to
   * the target's affected ones, copies its findings under keys `merged:<sourceId>:<key>`, raises
   * the target's severity to the source's if higher, and resolves the source with `mergedInto`
   * set (keeping its `resolvedAt` if it was resolved before); both timelines record a `merge`.
   * A merged incident cannot be reopened. Returns the target.
   *
   * Repeating a merge of the same pair is a no-op. `NotFoundError` for an unknown id,
   * `InputError` for merging an incident into itself, `ConflictError` when the source was
   * merged into another incident or the target is resolved.
   */
  merge(
    sourceId: string,
    targetId: string,
    actor: string,
    at: string,
  ): Promise<Incident>;

  /** Unresolved incidents and response times of one entity (primary or affected). */
  entityHealth(
    entityRef: EntityRef,
    options: HealthWindow,
  ): Promise<EntityIncidentHealth>;

  /** Org-wide counts and response times by owner and by system. */
  stats(options: HealthWindow): Promise<WindowStats>;

  /** The stored status of each known id (unknown ids are left out). */
  statuses(ids: string[]): Promise<Record<string, IncidentStatusRow>>;

  /**
   * The stored status of the incidents a person acknowledged, resolved, reopened or merged at or
   * after `since` (ISO 8601, the clock of the replica that took the action), on any replica.
   */
  changedByPeopleSince(
    since: string,
  ): Promise<Record<string, IncidentStatusRow>>;
}
