import type { Alert, Incident } from '@aiops/plugin-aiops-common';

export type EntityStatus = 'healthy' | 'degraded' | 'outage';

/**
 * Status at a glance: an open critical incident is an outage; any other open incident, or a
 * firing alert that has not (yet) made one, degrades the entity.
 */
export function entityStatus(
  openIncidents: Incident[],
  firingAlerts: Alert[],
): EntityStatus {
  if (openIncidents.some(i => i.severity === 'critical')) return 'outage';
  if (openIncidents.length > 0 || firingAlerts.length > 0) return 'degraded';
  return 'healthy';
}
