import type { CorrelationConfig, Suppression, TrackedAlert } from '../types';
import type { TopologyGraph } from '../topology';

/** Version 2: its finding cites the root alerts and the earliest symptoms, bounded. */
export const INHIBITION_RULE = 'inhibition@2';

const OUTAGE_SEVERITIES = new Set(['critical', 'error']);

function byOnset(a: TrackedAlert, b: TrackedAlert) {
  return a.onsetAt - b.onsetAt || a.alert.id.localeCompare(b.alert.id);
}

/**
 * Which alerts of one incident are muted, and by what. Only firing alerts mute others.
 * - An outage (critical/error) on an upstream entity mutes the alerts downstream of it:
 *   they are symptoms, shown as "suppressed, see root". The inhibiting alert on a root
 *   entity (nothing affected upstream of it) wins, then the earliest.
 * - A critical alert mutes warning and info alerts on the same entity.
 * Silenced alerts keep their silence and are left out.
 */
export function inhibitionsFor(
  alerts: TrackedAlert[],
  graph: TopologyGraph,
  config: Pick<CorrelationConfig, 'inhibition' | 'topology'>,
): Map<string, Suppression> {
  const result = new Map<string, Suppression>();
  const candidates = alerts.filter(a => a.suppression?.reason !== 'silenced');
  const firing = candidates.filter(a => a.status === 'firing').sort(byOnset);
  const roots = new Set(
    graph.rootsOf(candidates.flatMap(a => (a.entityRef ? [a.entityRef] : []))),
  );

  // Only the earliest firing outage and critical alert of each entity can win, so the work
  // grows with the incident's entities rather than with the square of its alerts.
  const earliestOutage = new Map<string, TrackedAlert>();
  const earliestCritical = new Map<string, TrackedAlert>();
  for (const alert of firing) {
    if (!alert.entityRef) continue;
    if (
      OUTAGE_SEVERITIES.has(alert.alert.severity) &&
      !earliestOutage.has(alert.entityRef)
    )
      earliestOutage.set(alert.entityRef, alert);
    if (
      alert.alert.severity === 'critical' &&
      !earliestCritical.has(alert.entityRef)
    )
      earliestCritical.set(alert.entityRef, alert);
  }
  const outageAlerts = [...earliestOutage.values()]; // in onset order, like `firing`
  // The suppressing outage depends only on the entity: worked out once per entity.
  const rootOutageOf = new Map<string, TrackedAlert | undefined>();
  const rootOutage = (entityRef: string) => {
    if (!rootOutageOf.has(entityRef)) {
      const outages = outageAlerts.filter(o =>
        graph.isUpstreamOf(o.entityRef!, entityRef, config.topology.maxHops),
      );
      rootOutageOf.set(
        entityRef,
        outages.find(o => roots.has(o.entityRef!)) ?? outages[0],
      );
    }
    return rootOutageOf.get(entityRef);
  };

  for (const alert of candidates) {
    if (!alert.entityRef) continue;
    if (config.inhibition.upstreamOutage) {
      const root = rootOutage(alert.entityRef);
      if (root) {
        result.set(alert.alert.id, {
          reason: 'symptom-of-root',
          by: { alertId: root.alert.id },
          rule: INHIBITION_RULE,
        });
        continue;
      }
    }
    if (
      config.inhibition.criticalOverWarning &&
      (alert.alert.severity === 'warning' || alert.alert.severity === 'info')
    ) {
      const critical = earliestCritical.get(alert.entityRef);
      if (critical) {
        result.set(alert.alert.id, {
          reason: 'inhibited-by-critical',
          by: { alertId: critical.alert.id },
          rule: INHIBITION_RULE,
        });
      }
    }
  }
  return result;
}
