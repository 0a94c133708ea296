import type { Knex } from 'knex';
import { iso } from '@aiops/plugin-aiops-node';
import type { StoredDelivery } from '../NotificationStore';
import type { Db } from '../rows';

/*
 * Claims are leases: a claimer holds its rows until `claimed_until`, after which another
 * replica may take them over, and an outcome is recorded only while the claim still holds.
 */

/** Rows nobody holds a lease on at `now`. */
export function unleased(now: string, column = 'claimed_until') {
  return (builder: Knex.QueryBuilder) =>
    builder.whereNull(column).orWhere(column, '<', now);
}

export function leaseEnd(now: string, leaseMs: number): string {
  return iso(Date.parse(now) + leaseMs);
}

/** The delivery's row while the caller's claim on it still holds (no one took it over). */
export function stillClaimed(db: Db, delivery: StoredDelivery) {
  return db('notification_deliveries').where({
    id: delivery.id,
    status: 'pending',
    claimed_until: delivery.claimedUntil ?? null,
  });
}
