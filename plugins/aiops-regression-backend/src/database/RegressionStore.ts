import type { EntityRef } from '@aiops/plugin-aiops-common';

export type RegressionStatus =
  | 'active'
  | 'acknowledged'
  | 'dismissed'
  | 'resolved';

export const REGRESSION_STATUSES: readonly RegressionStatus[] = [
  'active',
  'acknowledged',
  'dismissed',
  'resolved',
];

/** A regression before it is stored: what a detection found. */
export interface RegressionCandidate {
  entityRef: EntityRef;
  metric: string;
  direction: 'increase' | 'decrease';
  /** When the new level began (ISO 8601): the change point, or the deploy. */
  changeAt: string;
  before: { mean: number; n: number };
  after: { mean: number; n: number };
  /** after / before − 1; null when the level before was 0. */
  relativeChange: number | null;
  pValue: number;
  /** The versioned method that found it (`e-divisive-t@1`, …). */
  method: string;
  deploymentId?: string;
}

export interface StoredRegression extends RegressionCandidate {
  id: string;
  status: RegressionStatus;
  detectedAt: string;
  updatedAt: string;
  /** Who last changed the status (a user or service ref), when a person did. */
  statusBy?: string;
}

/** What one run could not do for one entity. */
export interface EntityFailure {
  /** The metric, or `*` for the entity as a whole (its deployments, its metric set). */
  metric: string;
  reason: string;
}

export interface EntityRun {
  entityRef: EntityRef;
  lastRunAt: string;
  ok: boolean;
  failures: EntityFailure[];
  regressionsRaised: number;
}

export interface RegressionFilter {
  entityRef?: EntityRef;
  status?: RegressionStatus[];
  metric?: string;
  limit?: number;
}

/** Where regressions and per-entity run records live; the database store is the default. */
export interface RegressionStore {
  /**
   * Stores the candidate unless the same change is stored already, in any status: same entity,
   * metric and direction, change within `toleranceMs` of it. A rolling window finds a change
   * again on every run (its index moves by a point or two), and a dismissed change must stay
   * dismissed. Returns the stored regression and whether it is new.
   */
  raise(
    candidate: RegressionCandidate,
    options: { toleranceMs: number; now: Date },
  ): Promise<{ regression: StoredRegression; created: boolean }>;
  get(id: string): Promise<StoredRegression | undefined>;
  /** Newest change first. */
  list(filter: RegressionFilter): Promise<StoredRegression[]>;
  /** Undefined when there is no such regression. */
  setStatus(
    id: string,
    status: RegressionStatus,
    options: { by?: string; now: Date },
  ): Promise<StoredRegression | undefined>;
  recordRun(run: EntityRun): Promise<void>;
  /** All entities' last runs, or one's. */
  runs(entityRef?: EntityRef): Promise<EntityRun[]>;
}
