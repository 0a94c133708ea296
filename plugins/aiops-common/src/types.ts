/**
 * Domain types of the AIOps suite. This file is the one definition of each type: every plugin,
 * backend or frontend, imports them from here.
 */

/** A catalog entity reference in its full string form, e.g. `component:default/cart`. */
export type EntityRef = string;

/** Severity, ordered from most to least urgent. */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more urgent; lets rules compare severities without string tables. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Ordered label map as senders deliver it (Prometheus labels, OTLP resource attributes, …). */
export type Labels = Record<string, string>;

/**
 * How a signal was keyed to the catalog. Unowned signals are kept, never dropped; the reason
 * is shown to the platform team so they can fix the annotation or the label.
 */
export type EntityResolution =
  | {
      status: 'resolved';
      entityRef: EntityRef;
      /** Owner from `spec.owner`, as a full ref (`group:default/checkout-team`). */
      owner?: EntityRef;
      /** The system the entity is part of, if any. */
      system?: EntityRef;
      /** Which rule matched, e.g. `label:service=cartservice via annotation:aiops/service-name`. */
      matchedBy: string;
    }
  | {
      status: 'unowned';
      reason: string;
    };

export type AlertStatus = 'firing' | 'resolved';

/** The sources a receiver accepts alerts from. */
export type AlertSource = 'alertmanager' | 'grafana' | 'generic';

/** One alert identity (fingerprint), with its state machine folded into one row. */
export interface Alert {
  id: string;
  fingerprint: string;
  source: AlertSource;
  status: AlertStatus;
  severity: Severity;
  /** Short human title, e.g. the `alertname` label or the generic `summary`. */
  title: string;
  description?: string;
  labels: Labels;
  annotations: Labels;
  resolution: EntityResolution;
  startsAt: string;
  endsAt?: string;
  firstSeenAt: string;
  lastSeenAt: string;
  /** How many times a sender delivered this alert (repeat notifications included). */
  deliveryCount: number;
  generatorUrl?: string;
}

/**
 * Where a deployment came from. `pagerduty-change` is a PagerDuty Events v2 change event: a
 * change that is not necessarily a rollout (a merged pull request, a rotated secret), recorded
 * with the deployments so that correlation shows it as what changed.
 */
export type DeploymentSource =
  | 'generic'
  | 'cdevents'
  | 'github'
  | 'argocd'
  | 'pagerduty-change';
export type DeploymentStatus =
  | 'started'
  | 'succeeded'
  | 'failed'
  | 'rolled_back';

export interface Deployment {
  id: string;
  source: DeploymentSource;
  /** Sender's own id, used with `source` for idempotency. */
  externalId: string;
  resolution: EntityResolution;
  environment: string;
  version: string;
  previousVersion?: string;
  status: DeploymentStatus;
  startedAt: string;
  finishedAt?: string;
  url?: string;
  /** Commit SHA, change request, pipeline run — whatever the sender can tell. */
  commit?: string;
  actor?: string;
  /** The sender's own words for what changed, when it says more than a version (change events). */
  summary?: string;
}

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

/**
 * A structured, explainable conclusion of a correlation rule. It is the input of the narrator
 * and of the UI: every claim points at the evidence that supports it.
 */
export interface Finding {
  /** The rule that produced it, with its version, e.g. `topology-root-cause@1`. */
  rule: string;
  summary: string;
  evidence: Evidence[];
  /** 0..1 */
  confidence: number;
}

export type EvidenceKind =
  | 'alert'
  | 'deployment'
  | 'regression'
  | 'edge'
  | 'entity';

export interface Evidence {
  kind: EvidenceKind;
  id: string;
}

export interface RootCauseCandidate {
  entityRef: EntityRef;
  /** 0..1, candidates are sorted by it. */
  score: number;
  reasons: string[];
  evidence: Evidence[];
}

export type TimelineEntryKind =
  | 'alert'
  | 'deployment'
  | 'finding'
  | 'status'
  | 'note'
  | 'notification'
  | 'escalation';

export interface TimelineEntry {
  at: string;
  kind: TimelineEntryKind;
  summary: string;
  /** Who did it: a user or group ref, or `system` for automatic steps. */
  actor?: string;
  evidence?: Evidence[];
}

export interface Incident {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: Severity;
  /** The entity the incident is routed by. */
  primaryEntityRef?: EntityRef;
  affectedEntityRefs: EntityRef[];
  owner?: EntityRef;
  system?: EntityRef;
  /** Deterministic key of the rule set that grouped it; unique while the incident is open. */
  correlationKey: string;
  ruleVersions: string[];
  alertIds: string[];
  findings: Finding[];
  rootCauseCandidates: RootCauseCandidate[];
  openedAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  /** Set when the incident was merged into another one; it is resolved then. */
  mergedInto?: string;
  /** How it was resolved, while it is resolved (see `IncidentResolution`). */
  resolution?: IncidentResolution;
  updatedAt: string;
}

/**
 * How an incident was resolved: by whom and when, and what the person resolving it recorded
 * about the fix. Present while the incident is resolved; a reopen clears it (the timeline keeps
 * it). Past-incident retrieval shows it for similar incidents.
 */
export interface IncidentResolution {
  /** What fixed it, in the resolver's words. */
  note?: string;
  /** An http or https URL. */
  postmortemUrl?: string;
  /** The user (or `service:<name>`) who resolved it; `system` when correlation did. */
  resolvedBy: string;
  resolvedAt: string;
}

/** An explanation of an incident, always traceable to findings. */
export interface Narrative {
  incidentId: string;
  /** `template` is the deterministic fallback; `llm` names the model in `model`. */
  generator: 'template' | 'llm';
  model?: string;
  summary: string;
  /** Each sentence with the evidence it rests on, so the UI can show sources. */
  claims: Array<{ text: string; evidence: Evidence[] }>;
  /** Claims the grounding check could not trace to evidence; never shown as fact. */
  ungroundedClaims: string[];
  generatedAt: string;
}

export type RegressionDirection = 'increase' | 'decrease';

/** A statistically significant change of a metric, usually after a deployment. */
export interface Regression {
  id: string;
  entityRef: EntityRef;
  metric: string;
  direction: RegressionDirection;
  detectedAt: string;
  changePointAt: string;
  before: { mean: number; n: number };
  after: { mean: number; n: number };
  /** Relative change, (after - before) / before. */
  relativeChange: number;
  pValue: number;
  deploymentId?: string;
}

export interface RiskFactor {
  name: string;
  /** Contribution to the score, in the score's units. */
  weight: number;
  value: number | string | boolean;
  explanation: string;
}

export type RiskLevel = 'low' | 'medium' | 'high';

export interface RiskAssessment {
  entityRef: EntityRef;
  version?: string;
  /** 0..100 */
  score: number;
  level: RiskLevel;
  factors: RiskFactor[];
  /** LLM explanation when available; the factor table is always the source of truth. */
  explanation?: string;
  assessedAt: string;
}
