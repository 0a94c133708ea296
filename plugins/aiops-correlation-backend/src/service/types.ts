import type {
  Alert,
  Deployment,
  EntityRef,
  Finding,
  Incident,
  Regression,
  RootCauseCandidate,
  SilenceMatcherSpec,
  SuppressionReason,
} from '@aiops/plugin-aiops-common';
import type { TopologyGraph } from './topology';
import type { AlertKindConfig } from './rules/alertKind';

/** Tuning of the correlation rules. Durations are milliseconds. */
export interface CorrelationConfig {
  /**
   * Labels that make an alert's group key, like Alertmanager's `group_by`. `entity` is the
   * resolved entity ref (unowned alerts use their `alertname`/title instead).
   */
  groupBy: string[];
  /** An alert with the group key of an incident joins it if it starts within this window of the incident's last activity, or while the incident still has firing alerts. */
  groupWindowMs: number;
  /** Hold a new group this long before opening its incident; 0 opens at once. */
  groupWaitMs: number;
  /** A group opens only when it holds at least this many firing alerts … */
  minAlerts: number;
  /** … and its first alert has been firing at least this long (0: no minimum). */
  minDurationMs: number;
  topology: {
    enabled: boolean;
    /** Entities at most this many dependency hops apart are related. */
    maxHops: number;
    /** An alert joins a topology-related incident only if it starts within this window of the incident's last activity. */
    windowMs: number;
    /** Treat entities of one System as related at `maxHops` (off by default: too coarse). */
    sameSystem: boolean;
  };
  /** A deployment of an affected entity or its dependency this long before onset is linked. */
  deployWindowMs: number;
  /** An incident resolves once every alert has been resolved this long. */
  quietPeriodMs: number;
  flap: {
    /** Status changes counted within this window … */
    windowMs: number;
    /** … at least this many make an alert flapping. */
    minTransitions: number;
  };
  inhibition: {
    /** A firing critical alert suppresses warnings/info on the same entity. */
    criticalOverWarning: boolean;
    /** A firing critical/error alert on an upstream entity suppresses downstream symptoms. */
    upstreamOutage: boolean;
  };
  /** How the root-cause ranking reads alert names and labels as outages or symptoms. */
  alertKinds: AlertKindConfig;
  unowned: {
    /** Beyond this many open unowned incidents, new kinds of unowned alerts share one per source. */
    maxOpenIncidents: number;
  };
}

/**
 * A silence (maintenance window) as the correlation core reads it, plain data: every matcher
 * must match the alert, and the alert must start inside one of the windows. The stored silence
 * (aiops-common's `Silence`, with its schedule) is expanded to windows by the caller
 * (`toCoreSilence`).
 */
export interface CoreSilence {
  id: string;
  matchers: SilenceMatcher[];
  windows: Array<{ startsAt: string; endsAt: string }>;
  comment?: string;
}

export type SilenceMatcher = SilenceMatcherSpec;

export type CorrelationEvent =
  /** An alert was created, fired again or resolved; `alert.status` says which. */
  | { type: 'alert'; at: string; alert: Alert }
  | { type: 'deployment'; at: string; deployment: Deployment }
  /** A metric of an entity changed significantly (from the regression detector). */
  | { type: 'regression'; at: string; regression: Regression }
  /** Time passed: opens held groups, resolves quiet incidents. */
  | { type: 'tick'; at: string }
  /**
   * A person resolved or reopened an incident through the API. The store already holds the
   * change; correlation follows it so that new alerts do not join a resolved incident.
   */
  | {
      type: 'incident-lifecycle';
      at: string;
      incidentId: string;
      action: 'resolve' | 'reopen';
    }
  /** A person merged `sourceId` into `targetId`; its alerts now belong to the target. */
  | {
      type: 'incidents-merged';
      at: string;
      sourceId: string;
      targetId: string;
    };

export interface CorrelationContext {
  graph: TopologyGraph;
  config: CorrelationConfig;
  silences: CoreSilence[];
}

/**
 * What correlation keeps of an alert: what its rules read. Annotations, descriptions and links
 * stay in ingest; leaving them out keeps a storm's working state (and its checkpoints) small.
 */
export const CORRELATED_ALERT_FIELDS = [
  'id',
  'fingerprint',
  'source',
  'status',
  'severity',
  'title',
  'labels',
  'resolution',
  'startsAt',
  'endsAt',
  'lastSeenAt',
] as const;

export type CorrelatedAlert = Pick<
  Alert,
  (typeof CORRELATED_ALERT_FIELDS)[number]
>;

/** What the correlator knows of one alert. */
export interface TrackedAlert {
  alert: CorrelatedAlert;
  entityRef?: EntityRef;
  groupKey: string;
  /** Epoch ms of `startsAt`. */
  onsetAt: number;
  status: 'firing' | 'resolved';
  resolvedAt?: number;
  /** Epoch ms of each status change within the flap window. */
  transitions: number[];
  incidentId?: string;
  /** The rule that put it into its incident, and why. */
  joinedBy?: { rule: string; reason: string };
  /** The incident membership review moved it out of; an alert moves once. */
  movedFrom?: string;
  /** How far the sender's clock ran ahead of the arrival, when its `startsAt` lay in the future. */
  clockSkewMs?: number;
  suppression?: Suppression;
}

export type { SuppressionReason };

export interface Suppression {
  reason: SuppressionReason;
  /** The silence or the alert that suppresses it. */
  by: { silenceId: string } | { alertId: string };
  rule: string;
}

export interface IncidentState {
  incident: Incident;
  /** `pending` while group_wait or the minimum count/duration hold it back. */
  phase: 'pending' | 'open';
  groupKeys: string[];
  onsetAt: number;
  /** When the group was created (event time); group_wait counts from here. */
  createdAt: number;
  lastActivityAt: number;
  /** Findings by a stable key (rule + subject), so re-evaluation replaces instead of piling up. */
  findingsByKey: Record<string, Finding>;
  /** Event time it was last re-derived (see `correlateSteps`' `refreshIntervalMs`). */
  refreshedAt?: number;
  /** It changed since, and is re-derived once its refresh interval has passed. */
  refreshDue?: boolean;
}

/** Everything correlation keeps between events; plain JSON, so a store can persist it. */
export interface CorrelationState {
  alerts: Record<string, TrackedAlert>;
  incidents: Record<string, IncidentState>;
  /** Recent deployments, pruned to the deploy window. */
  deployments: Deployment[];
  /** Recent regressions, pruned like deployments (absent in states saved before they existed). */
  regressions?: Regression[];
  /** Event time housekeeping last pruned the state (epoch ms). */
  prunedAt?: number;
}

export type HoldReason = 'group-wait' | 'min-alerts' | 'min-duration';

export type CorrelationDecision =
  | { type: 'open-incident'; incident: Incident; rule: string }
  | {
      type: 'attach-alert';
      incidentId: string;
      alertId: string;
      rule: string;
      reason: string;
    }
  | {
      type: 'suppress-alert';
      alertId: string;
      incidentId?: string;
      suppression: Suppression;
    }
  | { type: 'unsuppress-alert'; alertId: string; incidentId: string }
  /**
   * A recent alert is better explained by another open incident than by its own (see
   * `membership-review`): it leaves `fromIncidentId` and joins `incidentId`.
   */
  | {
      type: 'move-alert';
      alertId: string;
      fromIncidentId: string;
      incidentId: string;
      rule: string;
      reason: string;
    }
  /** Every alert of `sourceId` moved to `incidentId`: the source resolves, merged into it. */
  | {
      type: 'merge-incident';
      sourceId: string;
      incidentId: string;
      at: string;
      rule: string;
    }
  /** `key` names the finding's subject: a later finding with the same key replaces it. */
  | { type: 'add-finding'; incidentId: string; key: string; finding: Finding }
  | {
      type: 'rank-root-causes';
      incidentId: string;
      candidates: RootCauseCandidate[];
    }
  | { type: 'resolve-incident'; incidentId: string; at: string; rule: string }
  /** An alert of a recently auto-resolved incident fired again: the incident reopens. */
  | {
      type: 'reopen-incident';
      incidentId: string;
      alertId: string;
      at: string;
      rule: string;
    }
  | {
      type: 'hold';
      alertId: string;
      incidentId: string;
      reason: HoldReason;
      until?: string;
    }
  | {
      type: 'ignore';
      alertId?: string;
      reason: 'arrived-resolved' | 'resolved-while-held';
      rule: string;
    };

export interface CorrelationResult {
  state: CorrelationState;
  decisions: CorrelationDecision[];
}
