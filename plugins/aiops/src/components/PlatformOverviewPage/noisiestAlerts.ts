import type { Alert, EntityRef } from '@aiops/plugin-aiops-common';

/** Alerts of one title (alertname) on one entity, summed up. */
export interface NoisyAlertGroup {
  title: string;
  /** Absent for unowned alerts. */
  entityRef?: EntityRef;
  /** Sum of `deliveryCount`: how often senders delivered them, repeats included. */
  deliveries: number;
  /** Alert identities (fingerprints) in the group. */
  alerts: number;
  firing: number;
  lastSeenAt: string;
}

/** Groups alerts by title and entity and ranks the groups by deliveries, most first. */
export function rankNoisiestAlerts(
  alerts: Alert[],
  top: number,
): NoisyAlertGroup[] {
  const groups = new Map<string, NoisyAlertGroup>();
  for (const alert of alerts) {
    const entityRef =
      alert.resolution.status === 'resolved'
        ? alert.resolution.entityRef
        : undefined;
    const key = JSON.stringify([alert.title, entityRef ?? null]);
    const group = groups.get(key) ?? {
      title: alert.title,
      entityRef,
      deliveries: 0,
      alerts: 0,
      firing: 0,
      lastSeenAt: alert.lastSeenAt,
    };
    group.deliveries += alert.deliveryCount;
    group.alerts += 1;
    if (alert.status === 'firing') group.firing += 1;
    if (Date.parse(alert.lastSeenAt) > Date.parse(group.lastSeenAt)) {
      group.lastSeenAt = alert.lastSeenAt;
    }
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        b.deliveries - a.deliveries ||
        a.title.localeCompare(b.title) ||
        (a.entityRef ?? '').localeCompare(b.entityRef ?? ''),
    )
    .slice(0, top);
}
