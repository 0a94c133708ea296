import { runStages, type CorrelationStage } from '../pipeline/stage';
import { matchingSilence, SILENCE_RULE } from './silences';

/**
 * When a silence (maintenance window) ends, the alerts it muted that still fire count again:
 * one that belongs to an incident gets its suppression lifted, any other goes through
 * `grouping` (the stages that join or start a group) as if it had just arrived. Alerts that
 * resolved under the silence stay muted and are pruned.
 */
export function releaseEndedSilences(
  grouping: CorrelationStage[],
): CorrelationStage {
  return {
    name: 'release-ended-silences',
    rule: SILENCE_RULE,
    run(draft) {
      // Windows end with the passing of time, which ticks bring; alert events need not scan.
      if (draft.event.type !== 'tick') return 'continue';
      const released = Object.values(draft.state.alerts)
        .filter(
          alert =>
            alert.status === 'firing' &&
            alert.suppression?.reason === 'silenced' &&
            !matchingSilence(
              alert.alert,
              alert.entityRef,
              draft.context.silences,
              draft.now,
            ),
        )
        // Earliest first, so later alerts join the group it starts, as on arrival.
        .sort(
          (a, b) =>
            a.onsetAt - b.onsetAt || a.alert.id.localeCompare(b.alert.id),
        );
      for (const alert of released) {
        alert.suppression = undefined;
        if (alert.incidentId) {
          draft.decisions.push({
            type: 'unsuppress-alert',
            alertId: alert.alert.id,
            incidentId: alert.incidentId,
          });
          draft.touched.add(alert.incidentId);
          continue;
        }
        draft.subject = alert.alert.id;
        runStages(draft, grouping);
        draft.subject = undefined;
      }
      return 'continue';
    },
  };
}
