import type { EntityRef, Severity } from '@aiops/plugin-aiops-common';

/** What changed, as the deploy pipeline reports it. */
export interface DiffStats {
  filesChanged: number;
  linesAdded: number;
  linesDeleted: number;
  paths: string[];
}

/** The body of `POST /assessments`. */
export interface AssessmentRequest {
  entityRef: EntityRef;
  version: string;
  environment: string;
  changeSummary?: string;
  diffStats?: DiffStats;
  author?: string;
  /** When the deploy is planned (ISO 8601); the assessment time when absent. */
  plannedAt?: string;
}

/** An incident open at assessment time, on the entity itself or on something it depends on. */
export interface OpenIncident {
  id: string;
  entityRef: EntityRef;
  severity: Severity;
  relation: 'entity' | 'dependency';
  title?: string;
}

/** One of the entity's earlier deployments in the environment, with its recorded outcome. */
export interface PastDeployment {
  id: string;
  /** ISO 8601. */
  at: string;
  /** `pending` until the outcome window has passed; pending deploys carry no evidence. */
  outcome: 'succeeded' | 'failed' | 'pending';
}

/** A catalog entity that depends, directly or transitively, on the assessed one. */
export interface Dependent {
  entityRef: EntityRef;
  /** 1 for a direct dependent. */
  depth: number;
  /** `spec.tier` or the `aiops/tier` annotation, when the catalog has one (`tier-1`, `critical`…). */
  tier?: string;
  /** `spec.lifecycle`: production, experimental, deprecated… */
  lifecycle?: string;
}

/** A regression the detector still considers active on the entity. */
export interface ActiveRegression {
  id: string;
  metric: string;
  /** (after - before) / before. */
  relativeChange: number;
}

/** A freeze occurrence, already expanded from its RRULE by whoever gathers the context. */
export interface FreezeWindow {
  name: string;
  /** ISO 8601, inclusive. */
  startsAt: string;
  /** ISO 8601, exclusive. */
  endsAt: string;
}

/** The owner's deploy policy. */
export interface RiskPolicy {
  /** IANA time zone the working hours are in, e.g. `Europe/Paris`. */
  timezone: string;
  /** Working hours [start, end) in local hours, e.g. 9 and 18. */
  workingHours: { start: number; end: number };
  /** From this local hour on Friday a deploy counts as a Friday-afternoon deploy. */
  fridayCutoffHour: number;
  /** Freeze occurrences overlapping the assessment; a deploy inside one is blocked. */
  freezeWindows: FreezeWindow[];
}

/**
 * Everything a factor may look at: the request and the context the plugin gathers for it.
 * Plain data, so that the core is deterministic and replayable.
 */
export interface RiskInput {
  request: AssessmentRequest;
  /** The clock of the assessment (ISO 8601); history after it must not be in the input. */
  now: string;
  incidents: OpenIncident[];
  /** Past deployments of the entity in the environment over the history window (90 days). */
  deployments: PastDeployment[];
  dependents: Dependent[];
  regressions: ActiveRegression[];
  policy: RiskPolicy;
}

/** What a factor measures, before the configured weight is applied. */
export interface FactorMeasure {
  /** Stable id, the key of its weight in config, e.g. `change-failure-rate`. */
  id: string;
  /** The rule and its version, e.g. `change-failure-rate@1`; stored on every assessment. */
  version: string;
  label: string;
  /** The normalised value the weight multiplies; 0 is "nothing to worry about". */
  value: number;
  /** One sentence, for people. */
  explanation: string;
  /** Set when explicit policy forbids the deploy; the level becomes `blocked`. */
  block?: string;
}

export interface Factor {
  id: string;
  version: string;
  measure(input: RiskInput): FactorMeasure;
}

/** A factor on an assessment: its measure, its weight and what it added to the log-odds. */
export interface ScoredFactor {
  id: string;
  version: string;
  label: string;
  value: number;
  weight: number;
  /** weight × value, in log-odds of failure. */
  contribution: number;
  explanation: string;
}

export type RiskLevel = 'low' | 'medium' | 'high' | 'blocked';

export interface RiskScore {
  /** 0–100: the modelled probability of a failed deploy, as a percentage. */
  score: number;
  /** The unrounded probability, for calibration metrics. */
  probability: number;
  level: RiskLevel;
  factors: ScoredFactor[];
  recommendation: string;
  /** Why the level is `blocked`, one reason per policy that blocks. */
  blockedBy: string[];
  /** Every factor version applied, sorted; stored for reproducibility. */
  ruleVersions: string[];
}
