import type { Knex } from 'knex';
import { iso } from '@aiops/plugin-aiops-node';
import type { IncidentMessage } from '../../service/routing/types';
import type { DigestContent, StoredDelivery } from '../NotificationStore';
import { chunks, lockRows, type Db } from '../rows';
import { toDelivery } from './rows';

/*
 * Digests: messages over a group's rate limit are held for the digest of their window, which
 * sends them together and settles only the ones it covered.
 */

/**
 * The digest of a stream that is still open for more messages, locked: pending and not claimed
 * by a sender (which has read its messages already). Without one, a new digest is created for the
 * end of the current window.
 */
export async function openDigest(
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

export async function digestContent(
  db: Db,
  digestId: string,
): Promise<DigestContent> {
  const rows = await db('notification_deliveries')
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

/**
 * Settles the messages a digest covered (those it sent, and no other) with the given columns.
 * Returns what the timeline should mention: those messages, or the delivery itself.
 */
export async function settle(
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
