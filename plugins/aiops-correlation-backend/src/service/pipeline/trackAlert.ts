import type { CorrelationStage } from './stage';
import { incidentActivated } from '../activeIncidents';
import type { Alert } from '@aiops/plugin-aiops-common';
import { CORRELATED_ALERT_FIELDS, type CorrelatedAlert } from '../types';
import { toIso, toMs } from '../time';
import { FLAP_RULE, recordTransition } from '../rules/flapping';
import { senderOnset, withOnset } from '../rules/clockSkew';
import { groupKeyOf } from '../rules/groupKey';

export function correlatedAlert(alert: Alert): CorrelatedAlert {
  const kept: Partial<Record<keyof CorrelatedAlert, unknown>> = {};
  for (const field of CORRELATED_ALERT_FIELDS) {
    if (alert[field] !== undefined) kept[field] = alert[field];
  }
  return kept as CorrelatedAlert;
}

/**
 * Records the alert's state and its status changes (for flap detection). A resolve or a
 * repeat delivery ends here; a new alert, or one firing again after its incident resolved,
 * goes on to be grouped.
 */
export const trackAlert: CorrelationStage = {
  name: 'track-alert',
  rule: FLAP_RULE,
  run(draft) {
    if (draft.event.type !== 'alert') return 'continue';
    const { alert } = draft.event;
    const { config } = draft.context;
    const previous = draft.state.alerts[alert.id];
    const entityRef =
      alert.resolution.status === 'resolved'
        ? alert.resolution.entityRef
        : undefined;
    const onset = senderOnset(alert.startsAt, draft.now);
    if (!previous) {
      draft.state.alerts[alert.id] = {
        alert: withOnset(correlatedAlert(alert), onset),
        entityRef,
        groupKey: groupKeyOf(alert, config.groupBy),
        onsetAt: onset.onsetAt,
        status: 'firing',
        transitions: [],
        ...(onset.skewMs !== undefined && { clockSkewMs: onset.skewMs }),
      };
      return 'continue';
    }
    const changed = previous.status !== alert.status;
    if (alert.status === 'firing' && changed) {
      previous.alert = withOnset(correlatedAlert(alert), onset);
      if (onset.skewMs !== undefined) previous.clockSkewMs = onset.skewMs;
    } else {
      // The onset of the episode already tracked stands; a resend's times may have moved on.
      previous.alert = {
        ...correlatedAlert(alert),
        startsAt: previous.alert.startsAt,
      };
    }
    if (previous.entityRef !== entityRef && previous.incidentId) {
      // Keyed to another entity now (the catalog changed): the incident's shape changes too.
      const owner = draft.state.incidents[previous.incidentId];
      if (owner) {
        owner.incident = {
          ...owner.incident,
          alertIds: [...owner.incident.alertIds],
        };
      }
    }
    previous.entityRef = entityRef;
    if (changed) {
      previous.transitions = recordTransition(
        previous.transitions,
        draft.now,
        config.flap.windowMs,
      );
    }
    let incident = previous.incidentId
      ? draft.state.incidents[previous.incidentId]
      : undefined;
    const resolvedAt = incident?.incident.resolvedAt;
    if (resolvedAt && toMs(resolvedAt) <= draft.now - config.flap.windowMs) {
      // Resolved longer ago than a flap: kept only until housekeeping prunes it.
      incident = undefined;
    }
    if (alert.status === 'resolved') {
      if (changed) {
        previous.status = 'resolved';
        previous.resolvedAt = alert.endsAt
          ? Math.min(toMs(alert.endsAt), draft.now)
          : draft.now;
        if (incident) draft.touched.add(incident.incident.id);
      }
      return 'stop';
    }
    if (!changed)
      return previous.suppression?.reason === 'silenced' ? 'continue' : 'stop';
    previous.status = 'firing';
    previous.resolvedAt = undefined;
    previous.onsetAt = onset.onsetAt;
    if (incident?.incident.status === 'resolved') {
      // Fired again soon after its incident resolved itself: that is the same problem (a
      // flapping alert), so the incident reopens instead of paging anew.
      const at = toIso(draft.now);
      incident.incident = {
        ...incident.incident,
        status: 'open',
        updatedAt: at,
      };
      delete incident.incident.resolvedAt;
      incidentActivated(draft.state, incident);
      draft.decisions.push({
        type: 'reopen-incident',
        incidentId: incident.incident.id,
        alertId: alert.id,
        at,
        rule: FLAP_RULE,
      });
    }
    if (incident) {
      incident.lastActivityAt = Math.max(incident.lastActivityAt, draft.now);
      draft.touched.add(incident.incident.id);
      return 'stop';
    }
    previous.incidentId = undefined;
    return 'continue';
  },
};
