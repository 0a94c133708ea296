import { iso, optionalIso } from '@aiops/plugin-aiops-node';
import type { StoredDelivery } from '../NotificationStore';
import type { TimelineRow } from '../rows';

/*
 * The rows of `notification_deliveries` and the timeline entries they leave on their
 * incidents. Pure: no statement runs here.
 */

export function notificationEntry(
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

export function toDelivery(row: any): StoredDelivery {
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
