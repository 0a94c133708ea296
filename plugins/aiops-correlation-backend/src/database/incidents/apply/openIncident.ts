import { iso } from '@aiops/plugin-aiops-node';
import { openedSummary } from '../../../service/timelineWording';
import { insertRows } from '../../rows';
import {
  alertKey,
  entitiesOf,
  fromIncident,
  INCIDENT_ALERT_COLUMNS,
  MEMBER_ROLE,
} from '../rows';
import { insertEntities } from '../writes';
import type { Writer } from './types';

/**
 * Stores a new incident with its entities and alerts. When it exists already (a replay, or
 * another replica opened the same correlation key first) the step's later decisions are
 * redirected to the stored one.
 */
export const openIncident: Writer<'open-incident'> = async (decision, step) => {
  const { tx, batch, result } = step;
  const incident = decision.incident;
  const inserted = await tx('incidents')
    .insert(fromIncident(incident))
    .onConflict()
    .ignore()
    .returning('id');
  if (inserted.length > 0) {
    batch.exists.set(incident.id, true);
    result.opened.push(incident.id);
    await insertEntities(tx, incident.id, entitiesOf(incident));
    // The step announces the alerts of a new incident with attach decisions: their rule and
    // reason go in with the rows, instead of one update per alert afterwards.
    const joined = new Map(
      step.decisions.flatMap(d =>
        d.type === 'attach-alert' && d.incidentId === incident.id
          ? [[d.alertId, d] as const]
          : [],
      ),
    );
    await insertRows(
      tx,
      'incident_alerts',
      INCIDENT_ALERT_COLUMNS,
      incident.alertIds.map(alertId => ({
        incident_id: incident.id,
        alert_id: alertId,
        ...MEMBER_ROLE,
        joined_rule: joined.get(alertId)?.rule ?? null,
        joined_reason: joined.get(alertId)?.reason ?? null,
        attached_at: iso(incident.openedAt),
      })),
      'ON CONFLICT DO NOTHING',
    );
    for (const alertId of joined.keys()) {
      if (incident.alertIds.includes(alertId)) {
        step.attachedWithOpen.add(alertKey(incident.id, alertId));
      }
    }
    step.timeline({
      incidentId: incident.id,
      at: iso(incident.openedAt),
      kind: 'status',
      action: decision.type,
      summary: openedSummary(incident.title, decision.rule),
      evidence: incident.alertIds.map(id => ({ kind: 'alert', id })),
      identity: [decision.type, incident.id, incident.correlationKey],
      change: 'opened',
    });
    return;
  }
  // Lost the race or a replay: the incident exists (same id or same open key).
  const existing = await tx('incidents')
    .where('open_correlation_key', incident.correlationKey)
    .orWhere('id', incident.id)
    .orderByRaw('CASE WHEN id = ? THEN 0 ELSE 1 END', [incident.id])
    .first('id');
  if (existing) {
    batch.exists.set(existing.id, true);
    if (existing.id !== incident.id) {
      batch.redirected[incident.id] = existing.id;
      result.redirected[incident.id] = existing.id;
    }
  }
};
