import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { EntityRef } from '@aiops/plugin-aiops-common';
import { deliveryTarget } from '../service/routing/route';
import { describeTarget } from '../service/routing/targets';
import type {
  EscalationStepRecord,
  IncidentChange,
  IncidentMessage,
  PlannedDelivery,
} from '../service/routing/types';
import type { Page } from './IncidentStore';
import { migratedClient } from './migrate';
import type {
  DeliveryQuery,
  DeliveryStatus,
  EscalationCandidate,
  Lease,
  NotificationStore,
  RateLimit,
  StoredDelivery,
} from './NotificationStore';
import {
  hashOf,
  insertTimeline,
  iso,
  lockSkippingLocked,
  optionalIso,
  type TimelineRow,
} from './rows';

const DELIVERY_STATUSES: DeliveryStatus[] = [
  'pending',
  'delivered',
  'dead',
  'held',
  'digested',
];

/** Messages that count against a rate limit: everything sent or to be sent on its own. */
const COUNTED: DeliveryStatus[] = ['pending', 'delivered', 'dead'];

export class DatabaseNotificationStore implements NotificationStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseNotificationStore> {
    return new DatabaseNotificationStore(await migratedClient(options));
  }

  constructor(private readonly db: Knex) {}

  async claimChanges(lease: Lease): Promise<IncidentChange[]> {
    const now = iso(lease.now);
    return this.db.transaction(async tx => {
      const rows = await lockSkippingLocked(
        tx,
        tx('incident_changes')
          .whereNull('routed_at')
          .where(unleased(now))
          .orderBy([{ column: 'at' }, { column: 'change_id' }])
          .limit(lease.limit),
      );
      if (rows.length === 0) return [];
      await tx('incident_changes')
        .whereIn(
          'change_id',
          rows.map(row => row.change_id),
        )
        .update({ claimed_until: leaseEnd(now, lease.leaseMs) });
      return rows.map(toChange);
    });
  }

  async sentTargets(incidentId: string): Promise<Map<string, EntityRef>> {
    const rows = await this.db('notification_deliveries')
      .where({ incident_id: incidentId, kind: 'message' })
      .orderBy('seq')
      .select('channel', 'target', 'recipient_group');
    const sent = new Map<string, EntityRef>();
    for (const row of rows) {
      const key = deliveryTarget(row.channel, row.target);
      if (!sent.has(key)) sent.set(key, row.recipient_group);
    }
    return sent;
  }

  async recordRoute(
    change: IncidentChange,
    deliveries: PlannedDelivery[],
    options: { now: string; rateLimit: RateLimit },
  ): Promise<StoredDelivery[]> {
    const now = iso(options.now);
    const nowMs = Date.parse(now);
    const { maxPerWindow, windowMs } = options.rateLimit;
    return this.db.transaction(async tx => {
      const current = await lockSkippingLocked(
        tx,
        tx('incident_changes').where('change_id', change.id),
      );
      if (current.length === 0 || current[0].routed_at) return [];
      const ids: string[] = [];
      for (const delivery of deliveries) {
        const id = hashOf([
          'delivery',
          change.id,
          delivery.channel,
          delivery.target,
        ]);
        ids.push(id);
        const sameStream = {
          recipient_group: delivery.group,
          channel: delivery.channel,
          target: delivery.target,
        };
        let digestId: string | null = null;
        if (delivery.rateLimited) {
          const [{ count }] = await tx('notification_deliveries')
            .where({ ...sameStream, kind: 'message' })
            .whereIn('status', COUNTED)
            .where('created_at', '>', iso(nowMs - windowMs))
            .count({ count: '*' });
          if (Number(count) >= maxPerWindow) {
            const windowEnd = iso(
              (Math.floor(nowMs / windowMs) + 1) * windowMs,
            );
            digestId = hashOf(['digest', sameStream, windowEnd]);
            await tx('notification_deliveries')
              .insert({
                id: digestId,
                kind: 'digest',
                incident_id: null,
                change_id: null,
                change_at: windowEnd,
                ...sameStream,
                message: null,
                status: 'pending',
                next_attempt_at: windowEnd,
                created_at: now,
              })
              .onConflict('id')
              .ignore();
          }
        }
        await tx('notification_deliveries')
          .insert({
            id,
            kind: 'message',
            incident_id: change.incidentId,
            change_id: change.id,
            change_at: iso(change.at),
            ...sameStream,
            message: JSON.stringify(delivery.message),
            status: digestId ? 'held' : 'pending',
            digest_id: digestId,
            next_attempt_at: delivery.notBefore ? iso(delivery.notBefore) : now,
            created_at: now,
          })
          .onConflict('id')
          .ignore();
      }
      await tx('incident_changes')
        .where('change_id', change.id)
        .update({ routed_at: now, claimed_until: null });
      const stored = ids.length
        ? await tx('notification_deliveries').whereIn('id', ids).orderBy('seq')
        : [];
      return stored.map(toDelivery);
    });
  }

  async claimDeliveries(lease: Lease): Promise<StoredDelivery[]> {
    const now = iso(lease.now);
    return this.db.transaction(async tx => {
      const rows = await lockSkippingLocked(
        tx,
        tx('notification_deliveries as d')
          .where('d.status', 'pending')
          .where('d.next_attempt_at', '<=', now)
          .where(unleased(now, 'd.claimed_until'))
          .whereNotExists(earlierPending(tx))
          .orderBy([{ column: 'd.next_attempt_at' }, { column: 'd.seq' }])
          .limit(lease.limit)
          .select('d.*'),
      );
      if (rows.length === 0) return [];
      await tx('notification_deliveries')
        .whereIn(
          'id',
          rows.map(row => row.id),
        )
        .update({ claimed_until: leaseEnd(now, lease.leaseMs) });
      return rows.map(toDelivery);
    });
  }

  async digestMessages(digestId: string): Promise<IncidentMessage[]> {
    const rows = await this.db('notification_deliveries')
      .where({ digest_id: digestId })
      .orderBy('seq')
      .select('message');
    return rows.map(row => JSON.parse(row.message));
  }

  async markDelivered(delivery: StoredDelivery, at: string): Promise<void> {
    const when = iso(at);
    await this.db.transaction(async tx => {
      await tx('notification_deliveries')
        .where({ id: delivery.id })
        .update({
          status: 'delivered',
          attempts: delivery.attempts + 1,
          delivered_at: when,
          claimed_until: null,
          last_error: null,
        });
      const messages = await this.settleDigested(tx, delivery, {
        status: 'digested',
        delivered_at: when,
      });
      await insertTimeline(
        tx,
        messages.map(message =>
          notificationEntry(message, when, {
            action: 'notify',
            summary: `Sent ${
              delivery.kind === 'digest' ? 'in a digest ' : ''
            }via ${describeTarget(message.channel, message.target)} (${
              message.message?.change
            })`,
          }),
        ),
      );
    });
  }

  async markRetry(
    delivery: StoredDelivery,
    options: { error: string; nextAttemptAt: string },
  ): Promise<void> {
    await this.db('notification_deliveries')
      .where({ id: delivery.id, status: 'pending' })
      .update({
        attempts: delivery.attempts + 1,
        next_attempt_at: iso(options.nextAttemptAt),
        claimed_until: null,
        last_error: options.error,
      });
  }

  async markDead(
    delivery: StoredDelivery,
    options: { error: string; at: string },
  ): Promise<void> {
    const when = iso(options.at);
    await this.db.transaction(async tx => {
      await tx('notification_deliveries')
        .where({ id: delivery.id })
        .update({
          status: 'dead',
          attempts: delivery.attempts + 1,
          claimed_until: null,
          last_error: options.error,
        });
      const messages = await this.settleDigested(tx, delivery, {
        status: 'dead',
        last_error: options.error,
      });
      await insertTimeline(
        tx,
        messages.map(message =>
          notificationEntry(message, when, {
            action: 'notification-dead',
            summary: `Notification via ${describeTarget(
              message.channel,
              message.target,
            )} failed for good after ${delivery.attempts + 1} attempt(s): ${
              options.error
            }`,
          }),
        ),
      );
    });
  }

  async listDeliveries(query: DeliveryQuery): Promise<Page<StoredDelivery>> {
    const rows = await this.db('notification_deliveries')
      .modify(builder => {
        if (query.incidentId) builder.where('incident_id', query.incidentId);
        if (query.status) builder.where('status', query.status);
        if (query.cursor) builder.where('seq', '<', decodeCursor(query.cursor));
      })
      .orderBy('seq', 'desc')
      .limit(query.limit + 1);
    const items = rows.slice(0, query.limit);
    return {
      items: items.map(toDelivery),
      nextCursor:
        rows.length > query.limit
          ? encodeCursor(Number(items[items.length - 1].seq))
          : undefined,
    };
  }

  async retry(id: string, at: string): Promise<StoredDelivery> {
    return this.db.transaction(async tx => {
      const row = await tx('notification_deliveries').where({ id }).first();
      if (!row) throw new NotFoundError(`Notification ${id} not found`);
      if (row.status !== 'dead') {
        throw new ConflictError(
          `Notification ${id} is ${row.status}; only dead letters can be retried`,
        );
      }
      await tx('notification_deliveries')
        .where({ id })
        .update({
          status: 'pending',
          attempts: 0,
          next_attempt_at: iso(at),
          claimed_until: null,
        });
      return toDelivery(
        await tx('notification_deliveries').where({ id }).first(),
      );
    });
  }

  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const rows = await this.db('notification_deliveries')
      .groupBy('status')
      .select('status')
      .count({ count: '*' });
    const counts = Object.fromEntries(
      DELIVERY_STATUSES.map(status => [status, 0]),
    ) as Record<DeliveryStatus, number>;
    for (const row of rows as Array<{
      status: DeliveryStatus;
      count: unknown;
    }>) {
      counts[row.status] = Number(row.count);
    }
    return counts;
  }

  async escalationCandidates(): Promise<EscalationCandidate[]> {
    const incidents = await this.db('incidents')
      .where('status', 'open')
      .select('id', 'owner', 'primary_entity_ref', 'severity', 'opened_at');
    if (incidents.length === 0) return [];
    const changes = await this.db('incident_changes')
      .whereIn(
        'incident_id',
        this.db('incidents').where('status', 'open').select('id'),
      )
      .whereIn('kind', ['opened', 'reopened', 'escalated'])
      .orderBy('at')
      .select('incident_id', 'kind', 'at', 'escalation');
    const byIncident = new Map<string, typeof changes>();
    for (const change of changes) {
      byIncident.set(change.incident_id, [
        ...(byIncident.get(change.incident_id) ?? []),
        change,
      ]);
    }
    return incidents.map(row => {
      const history = byIncident.get(row.id) ?? [];
      const starts = history.filter(change => change.kind !== 'escalated');
      // Incidents from before the outbox have no recorded opening: their opening time counts.
      const since = starts.length
        ? iso(starts[starts.length - 1].at)
        : iso(row.opened_at);
      const recordedSteps = new Set(
        history
          .filter(
            change => change.kind === 'escalated' && iso(change.at) >= since,
          )
          .map(
            change =>
              (JSON.parse(change.escalation) as EscalationStepRecord).step,
          ),
      );
      return {
        incidentId: row.id,
        owner: row.owner ?? undefined,
        primaryEntityRef: row.primary_entity_ref ?? undefined,
        severity: row.severity,
        since,
        recordedSteps,
      };
    });
  }

  async recordEscalation(
    candidate: EscalationCandidate,
    record: EscalationStepRecord,
    options: { at: string; summary: string },
  ): Promise<boolean> {
    const identity = [
      'escalate',
      candidate.incidentId,
      candidate.since,
      record.policy,
      record.step,
    ];
    return this.db.transaction(async tx => {
      const [incident] = await lockSkippingLocked(
        tx,
        tx('incidents').where('id', candidate.incidentId).select('status'),
      );
      if (incident?.status !== 'open') return false;
      if (
        await tx('incident_timeline')
          .where('entry_id', hashOf(identity))
          .first('entry_id')
      ) {
        return false;
      }
      await insertTimeline(tx, [
        {
          incidentId: candidate.incidentId,
          at: iso(options.at),
          kind: 'escalation',
          action: 'escalate',
          summary: options.summary,
          actor: 'system',
          evidence: [],
          identity,
          change: 'escalated',
          escalation: record,
        },
      ]);
      return true;
    });
  }

  /**
   * A digest settles the messages it held with the given columns. Returns what the timeline
   * should mention: the held messages of a digest, else the delivery itself.
   */
  private async settleDigested(
    tx: Knex.Transaction,
    delivery: StoredDelivery,
    columns: object,
  ): Promise<StoredDelivery[]> {
    if (delivery.kind !== 'digest') return [delivery];
    const held = (
      await tx('notification_deliveries')
        .where({ digest_id: delivery.id, status: 'held' })
        .orderBy('seq')
    ).map(toDelivery);
    await tx('notification_deliveries')
      .where({ digest_id: delivery.id, status: 'held' })
      .update(columns);
    return held;
  }
}

/** Rows nobody holds a lease on at `now`. */
function unleased(now: string, column = 'claimed_until') {
  return (builder: Knex.QueryBuilder) =>
    builder.whereNull(column).orWhere(column, '<', now);
}

function leaseEnd(now: string, leaseMs: number): string {
  return iso(Date.parse(now) + leaseMs);
}

/** A pending message about the same incident to the same target, from an earlier change. */
function earlierPending(tx: Knex.Transaction) {
  return tx('notification_deliveries as e')
    .select(tx.raw('1'))
    .whereRaw('e.incident_id = d.incident_id')
    .whereRaw('e.channel = d.channel')
    .whereRaw('e.target = d.target')
    .where('e.status', 'pending')
    .where(builder =>
      builder
        .whereRaw('e.change_at < d.change_at')
        .orWhere(same =>
          same.whereRaw('e.change_at = d.change_at').whereRaw('e.seq < d.seq'),
        ),
    );
}

function notificationEntry(
  delivery: StoredDelivery,
  at: string,
  entry: { action: string; summary: string },
): TimelineRow {
  return {
    incidentId: delivery.incidentId!,
    at,
    kind: 'notification',
    actor: 'system',
    evidence: [],
    identity: [entry.action, delivery.id],
    ...entry,
  };
}

function toChange(row: any): IncidentChange {
  return {
    id: row.change_id,
    incidentId: row.incident_id,
    kind: row.kind,
    at: iso(row.at),
    ...(row.escalation && { escalation: JSON.parse(row.escalation) }),
  };
}

function toDelivery(row: any): StoredDelivery {
  return {
    id: row.id,
    kind: row.kind,
    incidentId: row.incident_id ?? undefined,
    changeId: row.change_id ?? undefined,
    changeAt: iso(row.change_at),
    channel: row.channel,
    target: row.target,
    group: row.recipient_group,
    message: row.message ? JSON.parse(row.message) : undefined,
    status: row.status,
    digestId: row.digest_id ?? undefined,
    attempts: Number(row.attempts),
    nextAttemptAt: iso(row.next_attempt_at),
    lastError: row.last_error ?? undefined,
    deliveredAt: optionalIso(row.delivered_at),
    createdAt: iso(row.created_at),
  };
}

function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify([seq])).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const [seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Number.isInteger(seq)) throw new Error('shape');
    return seq;
  } catch {
    throw new InputError(`Invalid cursor "${cursor}"`);
  }
}
