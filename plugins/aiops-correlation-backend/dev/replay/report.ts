import type { Alert } from '@aiops/plugin-aiops-common';
import type { ReplayResult } from './replay';

export interface ReplaySummary {
  from?: string;
  to?: string;
  /** Distinct alerts (sender and fingerprint), as ingest stores them. */
  alerts: number;
  alertDeliveries: number;
  firingDeliveries: number;
  deployments: number;
  incidents: number;
  /** 1 − incidents / alerts: the share of alerts that did not page on their own. */
  compression: number;
  /** Alerts in no incident: unowned, suppressed, held or below the rules' thresholds. */
  alertsInNoIncident: number;
  unowned: {
    alerts: number;
    reasons: Array<{ reason: string; alerts: string[] }>;
  };
  truncatedAlerts: number;
  ticks: number;
  database: string;
}

export interface ReplayReport {
  summary: ReplaySummary;
  incidents: Array<{
    id: string;
    title: string;
    status: string;
    severity: string;
    openedAt: string;
    resolvedAt?: string;
    mergedInto?: string;
    primaryEntityRef?: string;
    owner?: string;
    system?: string;
    rootCauses: Array<{ entityRef: string; score: number; reasons: string[] }>;
    alertCount: number;
    suppressedAlertCount: number;
    alerts: Array<{
      id: string;
      title: string;
      fingerprint: string;
      severity: string;
      status: string;
      entityRef?: string;
      role: string;
    }>;
  }>;
}

const describe = (alert: Alert) =>
  `${alert.title} (${
    alert.labels.service ?? alert.labels.job ?? alert.fingerprint
  })`;

export function replayReport(result: ReplayResult): ReplayReport {
  const byId = new Map(result.alerts.map(a => [a.id, a]));
  const inIncident = new Set(
    result.incidents.flatMap(i => i.alerts.map(link => link.alertId)),
  );
  const unownedReasons = new Map<string, string[]>();
  for (const alert of result.alerts) {
    if (alert.resolution.status !== 'unowned') continue;
    const list = unownedReasons.get(alert.resolution.reason) ?? [];
    list.push(describe(alert));
    unownedReasons.set(alert.resolution.reason, list);
  }
  const unownedCount = [...unownedReasons.values()].reduce(
    (n, list) => n + list.length,
    0,
  );
  return {
    summary: {
      from: result.from,
      to: result.to,
      alerts: result.alerts.length,
      alertDeliveries: result.alertDeliveries,
      firingDeliveries: result.firingDeliveries,
      deployments: result.deployments,
      incidents: result.incidents.length,
      compression:
        result.alerts.length === 0
          ? 0
          : 1 - result.incidents.length / result.alerts.length,
      alertsInNoIncident: result.alerts.filter(a => !inIncident.has(a.id))
        .length,
      unowned: {
        alerts: unownedCount,
        reasons: [...unownedReasons]
          .map(([reason, alerts]) => ({ reason, alerts }))
          .sort((a, b) => b.alerts.length - a.alerts.length),
      },
      truncatedAlerts: result.truncatedAlerts,
      ticks: result.ticks,
      database: result.database,
    },
    incidents: result.incidents.map(({ incident, alerts }) => ({
      id: incident.id,
      title: incident.title,
      status: incident.status,
      severity: incident.severity,
      openedAt: incident.openedAt,
      resolvedAt: incident.resolvedAt,
      mergedInto: incident.mergedInto,
      primaryEntityRef: incident.primaryEntityRef,
      owner: incident.owner,
      system: incident.system,
      rootCauses: incident.rootCauseCandidates.slice(0, 3).map(c => ({
        entityRef: c.entityRef,
        score: c.score,
        reasons: c.reasons,
      })),
      alertCount: alerts.length,
      suppressedAlertCount: alerts.filter(a => a.role === 'suppressed').length,
      alerts: alerts.map(link => {
        const alert = byId.get(link.alertId);
        return {
          id: link.alertId,
          title: alert?.title ?? '(not replayed)',
          fingerprint: alert?.fingerprint ?? '',
          severity: alert?.severity ?? '',
          status: alert?.status ?? '',
          entityRef:
            alert?.resolution.status === 'resolved'
              ? alert.resolution.entityRef
              : undefined,
          role: link.role,
        };
      }),
    })),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The report for a person: each incident as on-call would see it, then the totals. */
export function formatReplayReport(report: ReplayReport): string {
  const lines: string[] = [];
  for (const i of report.incidents) {
    lines.push(
      `${i.id}  ${i.severity.toUpperCase()}  ${i.status}${
        i.mergedInto ? ` (merged into ${i.mergedInto})` : ''
      }  ${i.title}`,
      `  opened ${i.openedAt}${
        i.resolvedAt ? `, resolved ${i.resolvedAt}` : ''
      }`,
      `  primary ${i.primaryEntityRef ?? '(none)'}, owner ${
        i.owner ?? '(none)'
      }${i.system ? `, system ${i.system}` : ''}`,
      `  alerts ${i.alertCount}${
        i.suppressedAlertCount ? ` (${i.suppressedAlertCount} suppressed)` : ''
      }: ${i.alerts.map(a => a.title).join(', ')}`,
      '  root causes:',
      ...(i.rootCauses.length
        ? i.rootCauses.map(
            (c, n) =>
              `    ${n + 1}. ${c.entityRef}  ${c.score.toFixed(2)}  ${
                c.reasons.join('; ') || '-'
              }`,
          )
        : ['    (none ranked)']),
      '',
    );
  }
  const s = report.summary;
  lines.push(
    `Replayed ${s.from ?? '-'} → ${s.to ?? '-'} (${s.ticks} ticks) into ${
      s.database
    }`,
    `  alerts               ${s.alerts}`,
    `  alert deliveries     ${s.alertDeliveries} (${s.firingDeliveries} firing)`,
    `  deployments          ${s.deployments}`,
    `  incidents            ${s.incidents}`,
    `  compression          ${pct(s.compression)}  (1 − incidents / alerts)`,
    `  in no incident       ${s.alertsInNoIncident}`,
    `  unowned alerts       ${s.unowned.alerts}`,
    ...s.unowned.reasons.map(
      r =>
        `    ${r.alerts.length}× ${r.reason}: ${r.alerts
          .slice(0, 3)
          .join(', ')}${r.alerts.length > 3 ? ', …' : ''}`,
    ),
  );
  if (s.truncatedAlerts > 0) {
    lines.push(
      `  truncated            ${s.truncatedAlerts} alerts Alertmanager left out of notifications (max_alerts) were never seen`,
    );
  }
  return lines.join('\n');
}
