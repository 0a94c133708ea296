import { randomUUID } from 'node:crypto';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { iso } from '@aiops/plugin-aiops-node';
import { migratedClient } from './migrate';
import type {
  EntityFailure,
  EntityRun,
  RegressionCandidate,
  RegressionFilter,
  RegressionStatus,
  RegressionStore,
  StoredRegression,
} from './RegressionStore';

const REGRESSIONS = 'regressions';
const RUNS = 'regression_entity_runs';
const MAX_LIST = 1000;

interface Row {
  id: string;
  entity_ref: string;
  metric: string;
  direction: string;
  change_at: Date | string;
  detected_at: Date | string;
  updated_at: Date | string;
  before_mean: number;
  before_n: number;
  after_mean: number;
  after_n: number;
  relative_change: number | null;
  p_value: number;
  method: string;
  deployment_id: string | null;
  status: string;
  status_by: string | null;
}

function fromRow(row: Row): StoredRegression {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    metric: row.metric,
    direction: row.direction as StoredRegression['direction'],
    changeAt: iso(row.change_at),
    before: { mean: Number(row.before_mean), n: Number(row.before_n) },
    after: { mean: Number(row.after_mean), n: Number(row.after_n) },
    relativeChange:
      row.relative_change === null ? null : Number(row.relative_change),
    pValue: Number(row.p_value),
    method: row.method,
    ...(row.deployment_id ? { deploymentId: row.deployment_id } : {}),
    status: row.status as RegressionStatus,
    detectedAt: iso(row.detected_at),
    updatedAt: iso(row.updated_at),
    ...(row.status_by ? { statusBy: row.status_by } : {}),
  };
}

/** `RegressionStore` on the plugin's database (SQLite or PostgreSQL). */
export class DatabaseRegressionStore implements RegressionStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRegressionStore> {
    return new DatabaseRegressionStore(await migratedClient(options.database));
  }

  constructor(private readonly db: Knex) {}

  async raise(
    candidate: RegressionCandidate,
    options: { toleranceMs: number; now: Date },
  ): Promise<{ regression: StoredRegression; created: boolean }> {
    const changeMs = Date.parse(candidate.changeAt);
    // One transaction, so two raises of one change in the same run cannot both insert. Runs
    // are one at a time across replicas (a global scheduled task), which covers the rest.
    return this.db.transaction(async tx => {
      const same = (await tx<Row>(REGRESSIONS)
        .where({
          entity_ref: candidate.entityRef,
          metric: candidate.metric,
          direction: candidate.direction,
        })
        .whereBetween('change_at', [
          new Date(changeMs - options.toleranceMs),
          new Date(changeMs + options.toleranceMs),
        ])
        .orderBy('change_at', 'asc')
        .first()) as Row | undefined;
      if (same) return { regression: fromRow(same), created: false };
      const row: Row = {
        id: randomUUID(),
        entity_ref: candidate.entityRef,
        metric: candidate.metric,
        direction: candidate.direction,
        change_at: new Date(changeMs),
        detected_at: options.now,
        updated_at: options.now,
        before_mean: candidate.before.mean,
        before_n: candidate.before.n,
        after_mean: candidate.after.mean,
        after_n: candidate.after.n,
        relative_change: candidate.relativeChange,
        p_value: candidate.pValue,
        method: candidate.method,
        deployment_id: candidate.deploymentId ?? null,
        status: 'active',
        status_by: null,
      };
      await tx(REGRESSIONS).insert(row);
      return { regression: fromRow(row), created: true };
    });
  }

  async get(id: string): Promise<StoredRegression | undefined> {
    const row = (await this.db<Row>(REGRESSIONS).where({ id }).first()) as
      | Row
      | undefined;
    return row && fromRow(row);
  }

  async list(filter: RegressionFilter): Promise<StoredRegression[]> {
    const query = this.db<Row>(REGRESSIONS);
    if (filter.entityRef) query.where('entity_ref', filter.entityRef);
    if (filter.metric) query.where('metric', filter.metric);
    if (filter.status?.length) query.whereIn('status', filter.status);
    const rows = (await query
      .orderBy([
        { column: 'change_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(Math.min(filter.limit ?? MAX_LIST, MAX_LIST))) as Row[];
    return rows.map(fromRow);
  }

  async setStatus(
    id: string,
    status: RegressionStatus,
    options: { by?: string; now: Date },
  ): Promise<StoredRegression | undefined> {
    const updated = await this.db(REGRESSIONS)
      .where({ id })
      .update({
        status,
        status_by: options.by ?? null,
        updated_at: options.now,
      });
    return updated ? this.get(id) : undefined;
  }

  async recordRun(run: EntityRun): Promise<void> {
    await this.db(RUNS)
      .insert({
        entity_ref: run.entityRef,
        last_run_at: new Date(run.lastRunAt),
        ok: run.ok,
        failures: JSON.stringify(run.failures),
        regressions_raised: run.regressionsRaised,
      })
      .onConflict('entity_ref')
      .merge();
  }

  async runs(entityRef?: string): Promise<EntityRun[]> {
    const query = this.db(RUNS);
    if (entityRef) query.where('entity_ref', entityRef);
    const rows = await query.orderBy('entity_ref', 'asc');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      lastRunAt: iso(row.last_run_at),
      ok: Boolean(row.ok),
      failures: JSON.parse(row.failures) as EntityFailure[],
      regressionsRaised: Number(row.regressions_raised),
    }));
  }
}
