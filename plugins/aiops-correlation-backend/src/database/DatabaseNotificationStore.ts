import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  FeedConsumer,
  type FeedConsumerOptions,
} from '@aiops/plugin-aiops-node';
import type { EntityRef } from '@aiops/plugin-aiops-common';
import type {
  EscalationStepRecord,
  IncidentChange,
  PlannedDelivery,
} from '../service/routing/types';
import type { Page } from './IncidentStore';
import { migratedClient } from './migrate';
import type {
  DeliveryQuery,
  DeliveryStatus,
  DigestContent,
  EscalationCandidate,
  Lease,
  NotificationStore,
  RateLimit,
  StoredDelivery,
} from './NotificationStore';
import {
  firstUnroutedCursor,
  latestChangeCursor,
  readChangeFeed,
} from './notifications/changeFeed';
import {
  claimDeliveries,
  markCancelled,
  markDead,
  markDelivered,
  markRetry,
} from './notifications/deliveries';
import { digestContent } from './notifications/digests';
import {
  escalationCandidates,
  recordEscalation,
} from './notifications/escalations';
import { countByStatus, listDeliveries, retry } from './notifications/outbox';
import {
  claimChanges,
  recordRoute,
  sentTargets,
} from './notifications/routing';
import {
  giveUpRouting,
  readUnroutedChanges,
  recordRoutingFailure,
} from './notifications/routingFailures';

/**
 * The notification store on the plugin's database (SQLite or PostgreSQL). Each concern is a
 * module of `notifications/`: the change feed (`changeFeed.ts`), routing changes into deliveries
 * (`routing.ts`) and giving up changes that keep failing to route (`routingFailures.ts`),
 * sending them (`deliveries.ts`, with `digests.ts` and the claims' `leases.ts`), escalation
 * (`escalations.ts`) and what operators see and do (`outbox.ts`).
 */
export class DatabaseNotificationStore implements NotificationStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseNotificationStore> {
    return new DatabaseNotificationStore(await migratedClient(options));
  }

  constructor(private readonly db: Knex) {}

  changeFeed(after: string, limit: number) {
    return readChangeFeed(this.db, after, limit);
  }

  changeCursor(incidentId: string) {
    return latestChangeCursor(this.db, incidentId);
  }

  firstUnroutedCursor() {
    return firstUnroutedCursor(this.db);
  }

  consumer<T>(
    options: Omit<FeedConsumerOptions<T>, 'database'>,
  ): FeedConsumer<T> {
    return new FeedConsumer({ ...options, database: this.db });
  }

  unroutedChanges(after: string, limit: number) {
    return readUnroutedChanges(this.db, after, limit);
  }

  recordRoutingFailure(
    changeId: string,
    options: { at: string; error: string },
  ) {
    return recordRoutingFailure(this.db, changeId, options);
  }

  giveUpRouting(change: IncidentChange, options: { at: string }) {
    return giveUpRouting(this.db, change, options);
  }

  claimChanges(lease: Lease): Promise<IncidentChange[]> {
    return claimChanges(this.db, lease);
  }

  sentTargets(incidentId: string): Promise<Map<string, EntityRef>> {
    return sentTargets(this.db, incidentId);
  }

  recordRoute(
    change: IncidentChange,
    deliveries: PlannedDelivery[],
    options: { now: string; rateLimit: RateLimit },
  ): Promise<StoredDelivery[]> {
    return recordRoute(this.db, change, deliveries, options);
  }

  claimDeliveries(lease: Lease): Promise<StoredDelivery[]> {
    return claimDeliveries(this.db, lease);
  }

  digestContent(digestId: string): Promise<DigestContent> {
    return digestContent(this.db, digestId);
  }

  markDelivered(
    delivery: StoredDelivery,
    options: { at: string; covered?: string[] },
  ): Promise<boolean> {
    return markDelivered(this.db, delivery, options);
  }

  markRetry(
    delivery: StoredDelivery,
    options: { error: string; nextAttemptAt: string },
  ): Promise<boolean> {
    return markRetry(this.db, delivery, options);
  }

  markDead(
    delivery: StoredDelivery,
    options: { error: string; at: string; covered?: string[] },
  ): Promise<boolean> {
    return markDead(this.db, delivery, options);
  }

  markCancelled(
    delivery: StoredDelivery,
    options: { reason: string; at: string },
  ): Promise<boolean> {
    return markCancelled(this.db, delivery, options);
  }

  listDeliveries(query: DeliveryQuery): Promise<Page<StoredDelivery>> {
    return listDeliveries(this.db, query);
  }

  retry(id: string, at: string): Promise<StoredDelivery> {
    return retry(this.db, id, at);
  }

  countByStatus(): Promise<Record<DeliveryStatus, number>> {
    return countByStatus(this.db);
  }

  escalationCandidates(): Promise<EscalationCandidate[]> {
    return escalationCandidates(this.db);
  }

  recordEscalation(
    candidate: EscalationCandidate,
    record: EscalationStepRecord,
    options: { at: string; summary: string },
  ): Promise<boolean> {
    return recordEscalation(this.db, candidate, record, options);
  }
}
