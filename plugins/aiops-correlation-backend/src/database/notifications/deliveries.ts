import type { Knex } from 'knex';
import { iso } from '@aiops/plugin-aiops-node';
import { describeTarget } from '../../service/routing/targets';
import type { Lease, StoredDelivery } from '../NotificationStore';
import { insertTimeline, lockRows, type Db } from '../rows';
import { settle } from './digests';
import { leaseEnd, stillClaimed, unleased } from './leases';
import { notificationEntry, toDelivery } from './rows';

/*
 * Sending's side of the outbox: claiming deliveries that are due, and their outcomes. Delivered,
 * dead and cancelled ones are noted on their incidents' timelines.
 */

export async function claimDeliveries(
  db: Knex,
  lease: Lease,
): Promise<StoredDelivery[]> {
  const now = iso(lease.now);
  return db.transaction(async tx => {
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
    return rows.map(row => toDelivery({ ...row, claimed_until: claimedUntil }));
  });
}

export async function markDelivered(
  db: Knex,
  delivery: StoredDelivery,
  options: { at: string; covered?: string[] },
): Promise<boolean> {
  const when = iso(options.at);
  return db.transaction(async tx => {
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

export async function markRetry(
  db: Db,
  delivery: StoredDelivery,
  options: { error: string; nextAttemptAt: string },
): Promise<boolean> {
  const updated = await stillClaimed(db, delivery).update({
    attempts: delivery.attempts + 1,
    next_attempt_at: iso(options.nextAttemptAt),
    claimed_until: null,
    last_error: options.error,
  });
  return updated > 0;
}

export async function markDead(
  db: Knex,
  delivery: StoredDelivery,
  options: { error: string; at: string; covered?: string[] },
): Promise<boolean> {
  const when = iso(options.at);
  return db.transaction(async tx => {
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

export async function markCancelled(
  db: Knex,
  delivery: StoredDelivery,
  options: { reason: string; at: string },
): Promise<boolean> {
  const when = iso(options.at);
  return db.transaction(async tx => {
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
