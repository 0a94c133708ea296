import type { Knex } from 'knex';
import { iso } from '@aiops/plugin-aiops-node';
import type { EntityRef } from '@aiops/plugin-aiops-common';
import { deliveryTarget } from '../../service/routing/route';
import type {
  IncidentChange,
  PlannedDelivery,
} from '../../service/routing/types';
import type {
  DeliveryStatus,
  Lease,
  RateLimit,
  StoredDelivery,
} from '../NotificationStore';
import { hashOf, lockRows, type Db } from '../rows';
import { toRecordedChange } from './changeFeed';
import { openDigest } from './digests';
import { leaseEnd, unleased } from './leases';
import { toDelivery } from './rows';

/*
 * Routing's side of the outbox: claiming unrouted changes, where an incident's messages went so
 * far, and recording the deliveries routing made of a change.
 */

/** Messages that count against a rate limit: everything sent or to be sent on its own. */
const COUNTED: DeliveryStatus[] = ['pending', 'delivered', 'dead'];

export async function claimChanges(
  db: Knex,
  lease: Lease,
): Promise<IncidentChange[]> {
  const now = iso(lease.now);
  return db.transaction(async tx => {
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

export async function sentTargets(
  db: Db,
  incidentId: string,
): Promise<Map<string, EntityRef>> {
  const rows = await db('notification_deliveries')
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

export async function recordRoute(
  db: Knex,
  change: IncidentChange,
  deliveries: PlannedDelivery[],
  options: { now: string; rateLimit: RateLimit },
): Promise<StoredDelivery[]> {
  const now = iso(options.now);
  const nowMs = Date.parse(now);
  const { maxPerWindow, windowMs } = options.rateLimit;
  return db.transaction(async tx => {
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
