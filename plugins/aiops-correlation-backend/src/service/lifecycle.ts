import { touchNow, type CorrelationStage } from './pipeline/stage';
import { activeSetChanged } from './activeIncidents';
import { toIso } from './time';

/** The rule recorded on alerts that a person moved into another incident. */
export const MANUAL_MERGE_RULE = 'manual-merge@1';

/**
 * Follows what people did to incidents, so that correlation and the store agree: a manually
 * resolved incident takes no new alerts (an alert of it firing again still reopens it, as after
 * an automatic resolve), a reopened one takes them again, and merged alerts count towards the
 * target's root cause and findings from now on.
 */
export const followLifecycle: CorrelationStage = {
  name: 'follow-lifecycle',
  rule: MANUAL_MERGE_RULE,
  run(draft) {
    const { event, state } = draft;
    const at = toIso(draft.now);
    if (
      event.type === 'incident-lifecycle' ||
      event.type === 'incidents-merged'
    )
      activeSetChanged(state);
    if (event.type === 'incident-lifecycle') {
      const inc = state.incidents[event.incidentId];
      if (!inc) return 'stop';
      if (event.action === 'resolve' && inc.incident.status !== 'resolved') {
        inc.incident = {
          ...inc.incident,
          status: 'resolved',
          resolvedAt: at,
          updatedAt: at,
        };
        // A resolved incident is not re-derived later: bring a waiting one up to date now.
        if (inc.refreshDue) touchNow(draft, inc);
      }
      if (event.action === 'reopen' && inc.incident.status === 'resolved') {
        const { resolvedAt: _resolved, ...rest } = inc.incident;
        inc.incident = { ...rest, status: 'open', updatedAt: at };
        inc.lastActivityAt = Math.max(inc.lastActivityAt, draft.now);
        draft.touched.add(inc.incident.id);
      }
      return 'stop';
    }
    if (event.type !== 'incidents-merged') return 'continue';
    const source = state.incidents[event.sourceId];
    const target = state.incidents[event.targetId];
    if (!source) return 'stop';
    if (target) {
      for (const alertId of source.incident.alertIds) {
        const alert = state.alerts[alertId];
        if (!alert) continue;
        alert.incidentId = target.incident.id;
        alert.joinedBy = {
          rule: MANUAL_MERGE_RULE,
          reason: `merged from incident ${source.incident.id}`,
        };
      }
      target.incident = {
        ...target.incident,
        alertIds: [
          ...new Set([
            ...target.incident.alertIds,
            ...source.incident.alertIds,
          ]),
        ],
      };
      target.groupKeys = [
        ...new Set([...target.groupKeys, ...source.groupKeys]),
      ].sort();
      target.onsetAt = Math.min(target.onsetAt, source.onsetAt);
      target.lastActivityAt = Math.max(
        target.lastActivityAt,
        source.lastActivityAt,
        draft.now,
      );
      draft.touched.add(target.incident.id);
    } else {
      // The target is older than what correlation keeps: its alerts are no longer tracked.
      for (const alertId of source.incident.alertIds)
        delete state.alerts[alertId];
    }
    // Resolved and empty, so housekeeping forgets it without touching the moved alerts.
    source.incident = {
      ...source.incident,
      status: 'resolved',
      resolvedAt: at,
      updatedAt: at,
      mergedInto: event.targetId,
      alertIds: [],
    };
    return 'stop';
  },
};
