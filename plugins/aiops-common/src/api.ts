import type {
  Alert,
  AlertStatus,
  Deployment,
  EntityRef,
  Finding,
  Incident,
  Severity,
  TimelineEntry,
} from './types';

/*
 * What the suite's HTTP APIs answer, as the frontend and other callers read it. The backends'
 * OpenAPI specs (`src/schema/openapi.yaml`) are the contract; these types follow them.
 */

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

/** Why an alert is kept quiet: a silence, a critical alert on its entity, or a root upstream. */
export type SuppressionReason =
  | 'silenced'
  | 'inhibited-by-critical'
  | 'symptom-of-root';

/** An alert of an incident, and why it is there. */
export interface IncidentAlertLink {
  alertId: string;
  role: 'member' | 'suppressed';
  joinedBy?: { rule: string; reason: string };
  suppression?: {
    reason: SuppressionReason;
    by: { silenceId: string } | { alertId: string };
    rule: string;
  };
  attachedAt: string;
  /**
   * The alert itself, read from aiops-ingest when the incident is read. Absent when ingest could
   * not be asked (`IncidentDetails.alertDetails` is `unavailable`) or no longer keeps the alert.
   */
  details?: IncidentAlertDetails;
}

/** What a person needs to recognise an alert of an incident. */
export interface IncidentAlertDetails {
  /** The `alertname` label, else the alert's title. */
  name: string;
  title: string;
  /** Absent when no catalog entity was found for the alert. */
  entityRef?: EntityRef;
  severity: Severity;
  status: AlertStatus;
  startsAt: string;
  endsAt?: string;
  lastSeenAt: string;
}

export interface StoredFinding {
  /** The subject key: a later finding with the same key replaced this one. */
  key: string;
  finding: Finding;
  updatedAt: string;
}

export interface IncidentTimelineEntry extends TimelineEntry {
  id: string;
  /** The decision or action, e.g. `open-incident`, `acknowledge`, `escalate`, `notify`. */
  action: string;
}

/** `GET /api/aiops-correlation/incidents/{id}` */
export interface IncidentDetails {
  incident: Incident;
  alerts: IncidentAlertLink[];
  findings: StoredFinding[];
  timeline: IncidentTimelineEntry[];
  /**
   * Whether the alerts' `details` were read from aiops-ingest: `unavailable` when ingest did not
   * answer, in which case the alerts are listed by id only.
   */
  alertDetails?: 'available' | 'unavailable';
}

/** Mean times in whole milliseconds over a window; absent when no incident qualifies. */
export interface ResponseTimes {
  /** Incidents opened in the window, merged ones included. */
  incidents: number;
  /** Mean time from opened to acknowledged, over acknowledged incidents opened in the window. */
  mttaMs?: number;
  /**
   * Mean time from opened to resolved, over resolved incidents opened in the window; merged
   * ones are excluded, since the merge resolved them rather than a fix.
   */
  mttrMs?: number;
}

/** An open critical incident is an outage; any other open incident or firing alert degrades. */
export type EntityHealthStatus = 'healthy' | 'degraded' | 'outage';

/** `GET /api/aiops-correlation/entities/{entityRef}/health` */
export interface EntityHealth {
  entityRef: EntityRef;
  status: EntityHealthStatus;
  openIncidents: Incident[];
  firingAlerts: Alert[];
  /** Firing alerts kept quiet: silenced, inhibited, or symptoms of an upstream root. */
  suppressedAlerts: Array<{
    alertId: string;
    title: string;
    suppression: NonNullable<IncidentAlertLink['suppression']>;
  }>;
  /** Response times over the last 30 days. */
  window: ResponseTimes;
  lastDeployment?: Deployment;
}

export interface IncidentGroupStats extends ResponseTimes {
  /** Owner or system ref; `null` for incidents without one. */
  ref: EntityRef | null;
  /** Incidents in status `open` now, whenever they opened. */
  open: number;
  /** Incidents in status `acknowledged` now, whenever they opened. */
  acknowledged: number;
}

/** `GET /api/aiops-correlation/stats` */
export interface IncidentStats {
  from: string;
  to: string;
  totals: ResponseTimes & { open: number; acknowledged: number };
  byOwner: IncidentGroupStats[];
  bySystem: IncidentGroupStats[];
}

export type NotificationChannelKind =
  | 'backstage'
  | 'slack'
  | 'pagerduty'
  | 'webhook';

export type DeliveryStatus =
  | 'pending'
  | 'delivered'
  | 'dead'
  | 'held'
  | 'digested'
  /** Not sent: the incident was acknowledged before its escalation went out. */
  | 'cancelled';

/** One message of the notification outbox, as the API shows it. */
export interface NotificationDelivery {
  id: string;
  kind: 'message' | 'digest';
  incidentId?: string;
  change?: string;
  headline?: string;
  changeAt: string;
  channel: NotificationChannelKind;
  /** Readable, with credentials masked. */
  target: string;
  group: EntityRef;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  deliveredAt?: string;
  createdAt: string;
}

/** `GET /api/aiops-correlation/notifications/status` */
export interface NotificationStatus {
  counts: Record<DeliveryStatus, number>;
  problems: Array<{
    key: string;
    message: string;
    incidentId?: string;
    firstSeen: string;
    lastSeen: string;
    count: number;
  }>;
}

/**
 * A change of an incident worth telling its owners about: `severity-raised` beyond the worst it
 * had, `escalated` an escalation step that fell due.
 */
export type IncidentChangeKind =
  | 'opened'
  | 'severity-raised'
  | 'acknowledged'
  | 'resolved'
  | 'reopened'
  | 'merged'
  | 'escalated';

/** An escalation step as recorded when it fell due. */
export interface IncidentEscalationStep {
  /** The escalation policy's name. */
  policy: string;
  /** 0-based index into the policy's steps. */
  step: number;
  /** How long the incident had gone unacknowledged, in milliseconds. */
  afterMs: number;
  targets: Array<
    | { type: 'group'; ref: EntityRef }
    | { type: 'user'; ref: EntityRef }
    | { type: 'parent' }
  >;
}

/** A recorded incident change; its id is the id of the timeline entry it came with. */
export interface RecordedIncidentChange {
  id: string;
  incidentId: string;
  kind: IncidentChangeKind;
  /** ISO 8601: when it happened. */
  at: string;
  /** Set for `escalated`. */
  escalation?: IncidentEscalationStep;
}

/** An incident without its alerts, findings and rule details. */
export type IncidentSummary = Omit<
  Incident,
  | 'correlationKey'
  | 'ruleVersions'
  | 'alertIds'
  | 'findings'
  | 'rootCauseCandidates'
>;

/**
 * An item of the incident change feed (`GET /api/aiops-correlation/changes?after=<cursor>`): the
 * change, and the incident as it is when the feed is read (not as it was at the change).
 */
export interface IncidentChangeFeedItem {
  change: RecordedIncidentChange;
  incident: IncidentSummary;
}

export interface SilenceMatcherSpec {
  /** A label name, or `entity` for the resolved entity ref. */
  name: string;
  value: string;
  /** `=` equals, `!=` differs, `=~` full-string regular expression. Default `=`. */
  op?: '=' | '!=' | '=~';
}

/** A silence as a user asks for it (`POST /api/aiops-correlation/silences`): what, when, why. */
export interface SilenceSpec {
  /** Every matcher must match an alert for the silence to apply. */
  matchers: SilenceMatcherSpec[];
  /** ISO 8601: the start of the first occurrence, which is also the rule's DTSTART. */
  startsAt: string;
  /** ISO 8601: the end of the first occurrence; every occurrence lasts `endsAt - startsAt`. */
  endsAt: string;
  /**
   * An RFC 5545 RRULE (`FREQ=WEEKLY;BYDAY=SA`, with or without the `RRULE:` prefix),
   * evaluated in UTC; absent for a one-off silence.
   */
  rrule?: string;
  comment: string;
}

export interface Silence extends SilenceSpec {
  id: string;
  createdBy: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: the end of the last occurrence; absent when the silence recurs forever. */
  expiresAt?: string;
  /** ISO 8601: when someone ended the silence early. */
  expiredAt?: string;
  expiredBy?: string;
}

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
