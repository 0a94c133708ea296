import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  EntityRef,
  Incident,
  Page,
  ResolutionInput,
} from '@aiops/plugin-aiops-common';
import type { CorrelationDecision } from '../service/types';
import type { WindowStats } from '../service/incidentStats';
import type {
  ApplyContext,
  AppliedDecisions,
  EntityIncidentHealth,
  HealthWindow,
  IncidentDetails,
  IncidentListQuery,
  IncidentStatusRow,
  IncidentStore,
  StoredTimelineEntry,
  TimelineQuery,
} from './IncidentStore';
import { migratedClient } from './migrate';
import { applySteps } from './incidents/apply';
import { acknowledge, addNote, reopen, resolve } from './incidents/lifecycle';
import { merge } from './incidents/merge';
import {
  getIncident,
  listIncidents,
  statuses,
  changedByPeopleSince,
  timelinePage,
} from './incidents/reads';
import { entityHealth, stats } from './incidents/stats';

/**
 * The incident store on the plugin's database (SQLite or PostgreSQL). Each concern is a module
 * of `incidents/`: correlation's decisions (`apply/`, one writer per decision type), people's
 * actions (`lifecycle.ts`, `merge.ts`) and the read models (`reads.ts`, `stats.ts`).
 */
export class DatabaseIncidentStore implements IncidentStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseIncidentStore> {
    return new DatabaseIncidentStore(await migratedClient(options));
  }

  constructor(private readonly db: Knex) {}

  async applyDecisions(
    decisions: CorrelationDecision[],
    context: ApplyContext,
  ): Promise<AppliedDecisions> {
    const [result] = await this.applySteps([{ decisions, context }]);
    return result;
  }

  applySteps(
    steps: Array<{ decisions: CorrelationDecision[]; context: ApplyContext }>,
  ): Promise<AppliedDecisions[]> {
    return applySteps(this.db, steps);
  }

  getIncident(
    id: string,
    options?: { timeline?: boolean },
  ): Promise<IncidentDetails | undefined> {
    return getIncident(this.db, id, options);
  }

  timelinePage(
    id: string,
    query: TimelineQuery,
  ): Promise<Page<StoredTimelineEntry>> {
    return timelinePage(this.db, id, query);
  }

  listIncidents(query: IncidentListQuery): Promise<Page<Incident>> {
    return listIncidents(this.db, query);
  }

  acknowledge(id: string, actor: string, at: string): Promise<Incident> {
    return acknowledge(this.db, id, actor, at);
  }

  resolve(
    id: string,
    actor: string,
    at: string,
    resolution?: ResolutionInput,
  ): Promise<Incident> {
    return resolve(this.db, id, actor, at, resolution);
  }

  reopen(id: string, actor: string, at: string): Promise<Incident> {
    return reopen(this.db, id, actor, at);
  }

  addNote(
    id: string,
    actor: string,
    text: string,
    at: string,
  ): Promise<StoredTimelineEntry> {
    return addNote(this.db, id, actor, text, at);
  }

  merge(
    sourceId: string,
    targetId: string,
    actor: string,
    at: string,
  ): Promise<Incident> {
    return merge(this.db, sourceId, targetId, actor, at);
  }

  entityHealth(
    entityRef: EntityRef,
    options: HealthWindow,
  ): Promise<EntityIncidentHealth> {
    return entityHealth(this.db, entityRef, options);
  }

  stats(options: HealthWindow): Promise<WindowStats> {
    return stats(this.db, options);
  }

  statuses(ids: string[]): Promise<Record<string, IncidentStatusRow>> {
    return statuses(this.db, ids);
  }

  changedByPeopleSince(
    since: string,
  ): Promise<Record<string, IncidentStatusRow>> {
    return changedByPeopleSince(this.db, since);
  }
}
