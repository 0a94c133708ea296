import { randomUUID } from 'node:crypto';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { iso, optionalIso } from '@aiops/plugin-aiops-node';
import type { RiskLevel } from '../service/types';
import { migratedClient, type Knex } from './migrate';
import type {
  AssessmentFilter,
  AssessmentStore,
  NewAssessment,
  Outcome,
  StoredAssessment,
} from './AssessmentStore';

const TABLE = 'risk_assessments';
const MAX_LIST = 1000;

interface Row {
  id: string;
  entity_ref: string;
  version: string;
  environment: string;
  assessed_at: Date | string;
  planned_at: Date | string | null;
  request: string;
  score: number;
  probability: number;
  level: string;
  factors: string;
  recommendation: string;
  blocked_by: string;
  rule_versions: string;
  explanation: string | null;
  deployment_id: string | null;
  outcome: string | null;
  outcome_at: Date | string | null;
  outcome_reason: string | null;
}

function toRow(id: string, a: NewAssessment): Row {
  const { entityRef, version, environment, plannedAt, ...rest } = a.request;
  return {
    id,
    entity_ref: entityRef,
    version,
    environment,
    assessed_at: new Date(a.assessedAt),
    planned_at: plannedAt ? new Date(plannedAt) : null,
    request: JSON.stringify(rest),
    score: a.score,
    probability: a.probability,
    level: a.level,
    factors: JSON.stringify(a.factors),
    recommendation: a.recommendation,
    blocked_by: JSON.stringify(a.blockedBy),
    rule_versions: JSON.stringify(a.ruleVersions),
    explanation: a.explanation ?? null,
    deployment_id: null,
    outcome: null,
    outcome_at: null,
    outcome_reason: null,
  };
}

function fromRow(row: Row): StoredAssessment {
  const plannedAt = optionalIso(row.planned_at);
  const outcomeAt = optionalIso(row.outcome_at);
  return {
    id: row.id,
    request: {
      entityRef: row.entity_ref,
      version: row.version,
      environment: row.environment,
      ...JSON.parse(row.request),
      ...(plannedAt ? { plannedAt } : {}),
    },
    assessedAt: iso(row.assessed_at),
    score: Number(row.score),
    probability: Number(row.probability),
    level: row.level as RiskLevel,
    factors: JSON.parse(row.factors),
    recommendation: row.recommendation,
    blockedBy: JSON.parse(row.blocked_by),
    ruleVersions: JSON.parse(row.rule_versions),
    ...(row.explanation !== null ? { explanation: row.explanation } : {}),
    ...(row.deployment_id !== null ? { deploymentId: row.deployment_id } : {}),
    ...(row.outcome !== null ? { outcome: row.outcome as Outcome } : {}),
    ...(outcomeAt ? { outcomeAt } : {}),
    ...(row.outcome_reason !== null
      ? { outcomeReason: row.outcome_reason }
      : {}),
  };
}

/** `AssessmentStore` on the plugin's database (SQLite or PostgreSQL). */
export class DatabaseAssessmentStore implements AssessmentStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAssessmentStore> {
    return new DatabaseAssessmentStore(await migratedClient(options.database));
  }

  constructor(private readonly db: Knex) {}

  async insert(assessment: NewAssessment): Promise<StoredAssessment> {
    const id = randomUUID();
    await this.db<Row>(TABLE).insert(toRow(id, assessment));
    return (await this.get(id))!;
  }

  async get(id: string): Promise<StoredAssessment | undefined> {
    const row = await this.db<Row>(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async list(filter: AssessmentFilter): Promise<StoredAssessment[]> {
    const query = this.db<Row>(TABLE);
    if (filter.entityRef) query.where('entity_ref', filter.entityRef);
    if (filter.environment) query.where('environment', filter.environment);
    if (filter.since) query.where('assessed_at', '>=', new Date(filter.since));
    if (filter.before) query.where('assessed_at', '<', new Date(filter.before));
    const rows = await query
      .orderBy([
        { column: 'assessed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(Math.max(1, Math.min(MAX_LIST, filter.limit ?? 100)));
    return rows.map(fromRow);
  }

  async unresolved(filter: {
    since: string;
    linked?: boolean;
    limit?: number;
  }): Promise<StoredAssessment[]> {
    const query = this.db<Row>(TABLE).whereNull('outcome');
    if (filter.linked) query.whereNotNull('deployment_id');
    const rows = await query
      .where('assessed_at', '>=', new Date(filter.since))
      .orderBy([
        { column: 'assessed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(Math.max(1, Math.min(MAX_LIST, filter.limit ?? MAX_LIST)));
    return rows.map(fromRow);
  }

  async linkDeployment(
    id: string,
    deploymentId: string,
  ): Promise<StoredAssessment | undefined> {
    await this.db<Row>(TABLE)
      .where({ id })
      .update({ deployment_id: deploymentId });
    return this.get(id);
  }

  async recordOutcome(
    id: string,
    outcome: { outcome: Outcome; at: string; reason: string },
  ): Promise<StoredAssessment | undefined> {
    // Conditional on no outcome yet, in the statement itself: two replicas handling the same
    // event cannot both write, and the first outcome stands.
    await this.db<Row>(TABLE)
      .where({ id })
      .whereNull('outcome')
      .update({
        outcome: outcome.outcome,
        outcome_at: new Date(outcome.at),
        outcome_reason: outcome.reason,
      });
    return this.get(id);
  }

  async byDeployment(
    deploymentId: string,
  ): Promise<StoredAssessment | undefined> {
    const row = await this.db<Row>(TABLE)
      .where({ deployment_id: deploymentId })
      .orderBy([
        { column: 'assessed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row ? fromRow(row) : undefined;
  }
}
