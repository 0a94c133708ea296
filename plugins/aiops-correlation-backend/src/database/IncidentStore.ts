import type {
  EntityRef,
  Finding,
  Incident,
  IncidentStatus,
  Severity,
  TimelineEntry,
} from '@aiops/plugin-aiops-common';
import type { CorrelationDecision, SuppressionReason } from '../service/types';

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

export type IncidentAlertRole = 'member' | 'suppressed';

export interface IncidentAlert {
  alertId: string;
  role: IncidentAlertRole;
  joinedBy?: { rule: string; reason: string };
  suppression?: {
    reason: SuppressionReason;
    by: { silenceId: string } | { alertId: string };
    rule: string;
  };
  attachedAt: string;
}

export interface StoredFinding {
  /** The subject key: a later finding with the same key replaced this one. */
  key: string;
  finding: Finding;
  updatedAt: string;
}

export interface StoredTimelineEntry extends TimelineEntry {
  id: string;
  /** The decision type or lifecycle action, e.g. `open-incident`, `acknowledge`, `note`. */
  action: string;
}

export interface IncidentDetails {
  incident: Incident;
  alerts: IncidentAlert[];
  findings: StoredFinding[];
  timeline: StoredTimelineEntry[];
}

export interface IncidentQuery {
  /** Primary or affected entity. */
  entityRef?: EntityRef;
  owner?: EntityRef;
  system?: EntityRef;
  status?: IncidentStatus | IncidentStatus[];
  severity?: Severity | Severity[];
  /** ISO 8601: incidents still unresolved at or after this time. */
  from?: string;
  /** ISO 8601: incidents opened before this time. */
  to?: string;
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Present when there may be more; pass back as `cursor`. */
  nextCursor?: string;
}

/**
 * What the store knows of an unresolved (or recently resolved) incident, for rebuilding the
 * core's `CorrelationState` after a restart.
 *
 * Not stored here, so the caller must supply it to rebuild `TrackedAlert`/`IncidentState`:
 * - the full `Alert` of each alert id (ingest store) — from it `entityRef`, `groupKey`
 *   (`groupKeyOf(alert, config.groupBy)`), `onsetAt`, `status`, `resolvedAt` follow;
 * - `transitions` (flap history): lost, flap detection restarts empty;
 * - `lastActivityAt`: approximate with `max(updatedAt, latest alert onset)`;
 * - `groupKeys` and `onsetAt` of the incident: derived from its alerts;
 * - `createdAt`: irrelevant once open (`phase: 'open'`);
 * - pending groups (held by group_wait / min-alerts) are never persisted, so their alerts
 *   start new groups when they are delivered again;
 * - recent deployments (`state.deployments`): from the ingest store's deployment list;
 * - silenced alerts outside any incident are not persisted.
 */
export interface StoredIncidentState {
  incident: Incident;
  alerts: IncidentAlert[];
  findingsByKey: Record<string, Finding>;
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

  getIncident(id: string): Promise<IncidentDetails | undefined>;
  listIncidents(query: IncidentQuery): Promise<Page<Incident>>;

  /** `NotFoundError` for an unknown id, `ConflictError` when resolved; no-op when acknowledged. */
  acknowledge(id: string, actor: string, at: string): Promise<Incident>;
  /** `NotFoundError` for an unknown id; no-op when already resolved. */
  resolve(id: string, actor: string, at: string): Promise<Incident>;
  /** `NotFoundError` for an unknown id; no-op unless resolved. */
  reopen(id: string, actor: string, at: string): Promise<Incident>;
  addNote(
    id: string,
    actor: string,
    text: string,
    at: string,
  ): Promise<StoredTimelineEntry>;

  /** Unresolved incidents, plus those resolved at or after `resolvedSince` (for reopening). */
  loadOpenState(options?: {
    resolvedSince?: string;
  }): Promise<StoredIncidentState[]>;
}
