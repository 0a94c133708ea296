import type { Knex } from 'knex';
import {
  decodeSequenceCursor as decodeCursor,
  encodeSequenceCursor as encodeCursor,
  iso,
} from '@aiops/plugin-aiops-node';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Page } from '../IncidentStore';
import {
  DELIVERY_STATUSES,
  type DeliveryQuery,
  type DeliveryStatus,
  type StoredDelivery,
} from '../NotificationStore';
import type { Db } from '../rows';
import { toDelivery } from './rows';

/*
 * What operators see of the outbox and do with it: pages of deliveries, counts by status, and
 * sending a dead letter again.
 */

/** Newest first, with sequence cursors. */
export async function listDeliveries(
  db: Db,
  query: DeliveryQuery,
): Promise<Page<StoredDelivery>> {
  const rows = await db('notification_deliveries')
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

export async function retry(
  db: Knex,
  id: string,
  at: string,
): Promise<StoredDelivery> {
  return db.transaction(async tx => {
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

export async function countByStatus(
  db: Db,
): Promise<Record<DeliveryStatus, number>> {
  const rows = await db('notification_deliveries')
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
