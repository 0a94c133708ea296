import type { CorrelatedAlert, IncidentState, TrackedAlert } from '../types';

export const GROUP_KEY_RULE = 'group-key@1';

/**
 * The alert's group key, like Alertmanager's `group_by`: the listed labels' values in order.
 * `entity` stands for the resolved entity ref; an unowned alert uses its `alertname` (or
 * title) there, so unowned alerts of one kind still group together.
 */
export function groupKeyOf(alert: CorrelatedAlert, groupBy: string[]): string {
  return groupBy
    .map(name => {
      if (name !== 'entity')
        return `${name}=${JSON.stringify(alert.labels[name] ?? '')}`;
      const value =
        alert.resolution.status === 'resolved'
          ? alert.resolution.entityRef
          : `unowned:${alert.labels.alertname ?? alert.title}`;
      return `entity=${JSON.stringify(value)}`;
    })
    .join(',');
}

/**
 * The incident that already holds this group key and is still active: it has a firing
 * alert, or the new alert starts within `windowMs` of its last activity. The most recently
 * active one wins.
 */
export function findGroupIncident(
  incidents: IncidentState[],
  alerts: Record<string, TrackedAlert>,
  groupKey: string,
  onsetAt: number,
  windowMs: number,
): IncidentState | undefined {
  return incidents
    .filter(
      inc =>
        inc.groupKeys.includes(groupKey) &&
        (onsetAt <= inc.lastActivityAt + windowMs ||
          inc.incident.alertIds.some(id => alerts[id]?.status === 'firing')),
    )
    .sort(
      (a, b) =>
        b.lastActivityAt - a.lastActivityAt ||
        a.incident.id.localeCompare(b.incident.id),
    )[0];
}
