import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  decodeSequenceCursor as decodeCursor,
  encodeSequenceCursor as encodeCursor,
  FeedConsumer,
  iso,
  optionalIso,
  type FeedConsumerOptions,
} from '@aiops/plugin-aiops-node';
import { ConflictError, NotFoundError } from '@backstage/errors';
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
import {
  firstUnroutedCursor,
  latestChangeCursor,
  readChangeFeed,
  toRecordedChange,
} from './changeFeed';
import {
  DELIVERY_STATUSES,
  type DeliveryQuery,
  type DeliveryStatus,
  type DigestContent,
  type EscalationCandidate,
  type Lease,
  type NotificationStore,
  type RateLimit,
  type StoredDelivery,
} from './NotificationStore';
import {
  chunks,
  hashOf,
  insertTimeline,
  lockRows,
  type Db,
  type TimelineRow,
} from './rows';

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

  async claimChanges(lease: Lease): Promise<IncidentChange[]> {
    const now = iso(lease.now);
    return this.db.transaction(async tx => {
      const rows = await lockRows(
        tx,
        tx('incident_changes as c')
          .whereNull('c.routed_at')
          .where(unleased(now, 'c.claimed_until'))
          // One incident's changes are routed in order: where its messages already went decides
          // where a follow-up goes.
          .whereNotExists(earlierUnrouted(tx))
          .orderBy([{ column: 'c.at' }, { column: 'c.change_id' }])
          .limit(lease.limit)
          .select('c.*'),
        { skipLocked: true },
      );
      if (rows.length === 0) return [];
      await tx('incident_changes')
        .whereIn(
          'change_id',
          rows.map(row => row.change_id),
        )
        .update({ claimed_until: leaseEnd(now, lease.leaseMs) });
      return rows.map(toRecordedChange);
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
      const current = await lockRows(
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
            digestId = await openDigest(tx, sameStream, {
              id: hashOf([
                'digest',
                change.id,
                delivery.channel,
                delivery.target,
              ]),
              now,
              windowEnd: iso((Math.floor(nowMs / windowMs) + 1) * windowMs),
            });
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
      const rows = await lockRows(
        tx,
        tx('notification_deliveries as d')
          .where('d.status', 'pending')
          .where('d.next_attempt_at', '<=', now)
          .where(unleased(now, 'd.claimed_until'))
          .whereNotExists(earlierPending(tx))
          .orderBy([{ column: 'd.next_attempt_at' }, { column: 'd.seq' }])
          .limit(lease.limit)
          .select('d.*'),
        { skipLocked: true },
      );
      if (rows.length === 0) return [];
      const claimedUntil = leaseEnd(now, lease.leaseMs);
      await tx('notification_deliveries')
        .whereIn(
          'id',
          rows.map(row => row.id),
        )
        .update({ claimed_until: claimedUntil });
      return rows.map(row =>
        toDelivery({ ...row, claimed_until: claimedUntil }),
      );
    });
  }

  async digestContent(digestId: string): Promise<DigestContent> {
    const rows = await this.db('notification_deliveries')
      .where({ digest_id: digestId })
      .whereIn('status', ['held', 'dead'])
      .orderBy('seq')
      .select('id', 'message', 'created_at');
    return {
      messageIds: rows.map(row => row.id),
      messages: rows.map(row => JSON.parse(row.message) as IncidentMessage),
      from: rows.length ? iso(rows[0].created_at) : undefined,
    };
  }

  async markDelivered(
    delivery: StoredDelivery,
    options: { at: string; covered?: string[] },
  ): Promise<boolean> {
    const when = iso(options.at);
    return this.db.transaction(async tx => {
      const updated = await stillClaimed(tx, delivery).update({
        status: 'delivered',
        attempts: delivery.attempts + 1,
        delivered_at: when,
        claimed_until: null,
        last_error: null,
      });
      if (!updated) return false;
      const messages = await settle(tx, delivery, options.covered, {
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
      return true;
    });
  }

  async markRetry(
    delivery: StoredDelivery,
    options: { error: string; nextAttemptAt: string },
  ): Promise<boolean> {
    const updated = await stillClaimed(this.db, delivery).update({
      attempts: delivery.attempts + 1,
      next_attempt_at: iso(options.nextAttemptAt),
      claimed_until: null,
      last_error: options.error,
    });
    return updated > 0;
  }

  async markDead(
    delivery: StoredDelivery,
    options: { error: string; at: string; covered?: string[] },
  ): Promise<boolean> {
    const when = iso(options.at);
    return this.db.transaction(async tx => {
      const updated = await stillClaimed(tx, delivery).update({
        status: 'dead',
        attempts: delivery.attempts + 1,
        claimed_until: null,
        last_error: options.error,
      });
      if (!updated) return false;
      const messages = await settle(tx, delivery, options.covered, {
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
      return true;
    });
  }

  async markCancelled(
    delivery: StoredDelivery,
    options: { reason: string; at: string },
  ): Promise<boolean> {
    const when = iso(options.at);
    return this.db.transaction(async tx => {
      const updated = await stillClaimed(tx, delivery).update({
        status: 'cancelled',
        claimed_until: null,
        last_error: options.reason,
      });
      if (!updated) return false;
      await insertTimeline(tx, [
        notificationEntry(delivery, when, {
          action: 'notification-cancelled',
          summary: `Not sent via ${describeTarget(
            delivery.channel,
            delivery.target,
          )}: ${options.reason}`,
        }),
      ]);
      return true;
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
      // Sent now, an old trigger would undo the resolve that followed it.
      const overtaken = await tx('notification_deliveries')
        .where({
          incident_id: row.incident_id,
          channel: row.channel,
          target: row.target,
          kind: 'message',
        })
        .whereIn('status', ['delivered', 'digested'])
        .where('change_at', '>', iso(row.change_at))
        .first('id');
      if (row.kind === 'message' && overtaken) {
        throw new ConflictError(
          `Notification ${id} was overtaken by a later one to the same target; sending it now would undo that`,
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
    const open = () => this.db('incidents').where('status', 'open');
    const incidents = await open().select(
      'id',
      'owner',
      'primary_entity_ref',
      'severity',
      'opened_at',
    );
    if (incidents.length === 0) return [];
    const changes = await this.db('incident_changes')
      .whereIn('incident_id', open().select('id'))
      .whereIn('kind', ['opened', 'reopened', 'escalated'])
      .orderBy('at')
      .select('incident_id', 'kind', 'at', 'routed_at', 'escalation');
    const byIncident = new Map<string, typeof changes>();
    for (const change of changes) {
      const history = byIncident.get(change.incident_id);
      if (history) history.push(change);
      else byIncident.set(change.incident_id, [change]);
    }
    return incidents.flatMap(row => {
      const history = byIncident.get(row.id) ?? [];
      const starts = history.filter(change => change.kind !== 'escalated');
      const start = starts[starts.length - 1];
      // The delay counts from when the team was first told (routed), not from the alerts' own
      // time: an incident opened from a backlog must not escalate through its policy at once.
      // Incidents from before the outbox have no recorded opening: their opening time counts.
      if (start && !start.routed_at) return [];
      const since = start
        ? iso(
            Math.max(
              Date.parse(iso(start.at)),
              Date.parse(iso(start.routed_at)),
            ),
          )
        : iso(row.opened_at);
      const recordedSteps = new Set(
        history
          .filter(
            change =>
              change.kind === 'escalated' &&
              (!start || iso(change.at) >= iso(start.at)),
          )
          .map(
            change =>
              (JSON.parse(change.escalation) as EscalationStepRecord).step,
          ),
      );
      return [
        {
          incidentId: row.id,
          owner: row.owner ?? undefined,
          primaryEntityRef: row.primary_entity_ref ?? undefined,
          severity: row.severity,
          since,
          recordedSteps,
        },
      ];
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
      const [incident] = await lockRows(
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
}

/** Rows nobody holds a lease on at `now`. */
function unleased(now: string, column = 'claimed_until') {
  return (builder: Knex.QueryBuilder) =>
    builder.whereNull(column).orWhere(column, '<', now);
}

function leaseEnd(now: string, leaseMs: number): string {
  return iso(Date.parse(now) + leaseMs);
}

/**
 * The digest of a stream that is still open for more messages, locked: pending and not claimed
 * by a sender (which has read its messages already). Without one, a new digest is created for the
 * end of the current window.
 */
async function openDigest(
  tx: Knex.Transaction,
  stream: { recipient_group: string; channel: string; target: string },
  created: { id: string; now: string; windowEnd: string },
): Promise<string> {
  const [open] = await lockRows(
    tx,
    tx('notification_deliveries')
      .where({ ...stream, kind: 'digest', status: 'pending' })
      .whereNull('claimed_until')
      .orderBy('seq')
      .limit(1)
      .select('id'),
  );
  if (open) return open.id;
  await tx('notification_deliveries')
    .insert({
      id: created.id,
      kind: 'digest',
      incident_id: null,
      change_id: null,
      change_at: created.windowEnd,
      ...stream,
      message: null,
      status: 'pending',
      next_attempt_at: created.windowEnd,
      created_at: created.now,
    })
    .onConflict('id')
    .ignore();
  return created.id;
}

/** The delivery's row while the caller's claim on it still holds (no one took it over). */
function stillClaimed(db: Db, delivery: StoredDelivery) {
  return db('notification_deliveries').where({
    id: delivery.id,
    status: 'pending',
    claimed_until: delivery.claimedUntil ?? null,
  });
}

/**
 * Settles the messages a digest covered (those it sent, and no other) with the given columns.
 * Returns what the timeline should mention: those messages, or the delivery itself.
 */
async function settle(
  tx: Knex.Transaction,
  delivery: StoredDelivery,
  covered: string[] | undefined,
  columns: object,
): Promise<StoredDelivery[]> {
  if (delivery.kind !== 'digest') return [delivery];
  const ids = covered ?? [];
  const rows: StoredDelivery[] = [];
  for (const chunk of chunks(ids)) {
    rows.push(
      ...(
        await tx('notification_deliveries')
          .whereIn('id', chunk)
          .whereIn('status', ['held', 'dead'])
          .orderBy('seq')
      ).map(toDelivery),
    );
    await tx('notification_deliveries')
      .whereIn('id', chunk)
      .whereIn('status', ['held', 'dead'])
      .update(columns);
  }
  return rows;
}

/** An unrouted change of the same incident that came before. */
function earlierUnrouted(tx: Knex.Transaction) {
  return tx('incident_changes as e')
    .select(tx.raw('1'))
    .whereRaw('e.incident_id = c.incident_id')
    .whereNull('e.routed_at')
    .where(builder =>
      builder
        .whereRaw('e.at < c.at')
        .orWhere(same =>
          same.whereRaw('e.at = c.at').whereRaw('e.change_id < c.change_id'),
        ),
    );
}

/**
 * A message about the same incident to the same target from an earlier change that has not gone
 * out: still to send, or held for a digest.
 */
function earlierPending(tx: Knex.Transaction) {
  return tx('notification_deliveries as e')
    .select(tx.raw('1'))
    .whereRaw('e.incident_id = d.incident_id')
    .whereRaw('e.channel = d.channel')
    .whereRaw('e.target = d.target')
    .whereIn('e.status', ['pending', 'held'])
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
    claimedUntil: optionalIso(row.claimed_until),
    lastError: row.last_error ?? undefined,
    deliveredAt: optionalIso(row.delivered_at),
    createdAt: iso(row.created_at),
  };
}
