import type { EntityRef } from '@aiops/plugin-aiops-common';
import type {
  AssessmentRequest,
  RiskLevel,
  ScoredFactor,
} from '../service/types';

export type Outcome = 'succeeded' | 'failed';

/** An assessment as it is stored: the request, the score, and later its deployment and outcome. */
export interface StoredAssessment {
  id: string;
  request: AssessmentRequest;
  assessedAt: string;
  score: number;
  probability: number;
  level: RiskLevel;
  factors: ScoredFactor[];
  recommendation: string;
  blockedBy: string[];
  ruleVersions: string[];
  explanation?: string;
  deploymentId?: string;
  outcome?: Outcome;
  outcomeAt?: string;
  outcomeReason?: string;
}

export type NewAssessment = Omit<
  StoredAssessment,
  'id' | 'deploymentId' | 'outcome' | 'outcomeAt' | 'outcomeReason'
>;

export interface AssessmentFilter {
  entityRef?: EntityRef;
  environment?: string;
  /** Only assessed at or after this time (ISO 8601). */
  since?: string;
  /** Only assessed before this time (ISO 8601), for paging back. */
  before?: string;
  limit?: number;
}

/** Where assessments live; the database store is the default. */
export interface AssessmentStore {
  insert(assessment: NewAssessment): Promise<StoredAssessment>;
  get(id: string): Promise<StoredAssessment | undefined>;
  /** Newest first, at most `limit` (capped at 1,000). */
  list(filter: AssessmentFilter): Promise<StoredAssessment[]>;
  /** Undefined when there is no such assessment. */
  linkDeployment(
    id: string,
    deploymentId: string,
  ): Promise<StoredAssessment | undefined>;
  /**
   * Records the outcome once its window has closed. The first recorded outcome stands, so a
   * redelivered event changes nothing; undefined when there is no such assessment.
   */
  recordOutcome(
    id: string,
    outcome: { outcome: Outcome; at: string; reason: string },
  ): Promise<StoredAssessment | undefined>;
  /**
   * Assessments without an outcome assessed at or after `since`, newest first, at most `limit`
   * (capped at 1,000): what the outcome task still has to close.
   */
  unresolved(filter: {
    since: string;
    /** Only those linked to a deployment. */
    linked?: boolean;
    limit?: number;
  }): Promise<StoredAssessment[]>;
  /** The assessment linked to a deployment, if any (the newest when several were). */
  byDeployment(deploymentId: string): Promise<StoredAssessment | undefined>;
}
