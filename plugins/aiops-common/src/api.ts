import type {
  Alert,
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

export interface IncidentAlertLink {
  alertId: string;
  role: 'member' | 'suppressed';
  joinedBy?: { rule: string; reason: string };
  suppression?: {
    reason: string;
    by: { silenceId: string } | { alertId: string };
    rule: string;
  };
  attachedAt: string;
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
  findings: Array<{ key: string; finding: Finding; updatedAt: string }>;
  timeline: IncidentTimelineEntry[];
}

/** Mean times in milliseconds over a window; absent when no incident qualifies. */
export interface ResponseTimes {
  incidents: number;
  mttaMs?: number;
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
    suppression: IncidentAlertLink['suppression'];
  }>;
  /** Response times over the last 30 days. */
  window: ResponseTimes;
  lastDeployment?: Deployment;
}

export interface IncidentGroupStats extends ResponseTimes {
  ref: EntityRef | null;
  open: number;
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
  | 'digested';

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

export interface SilenceMatcherSpec {
  /** A label name, or `entity` for the resolved entity ref. */
  name: string;
  value: string;
  op?: '=' | '!=' | '=~';
}

/** What `POST /api/aiops-correlation/silences` takes. */
export interface SilenceSpec {
  matchers: SilenceMatcherSpec[];
  startsAt: string;
  endsAt: string;
  /** RFC 5545 RRULE for recurring maintenance windows. */
  rrule?: string;
  comment: string;
}

export interface Silence extends SilenceSpec {
  id: string;
  createdBy: string;
  createdAt: string;
  expiresAt?: string;
  expiredAt?: string;
  expiredBy?: string;
}

export interface IncidentQuery {
  entityRef?: EntityRef;
  owner?: EntityRef;
  system?: EntityRef;
  status?: Incident['status'][];
  severity?: Severity[];
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}
