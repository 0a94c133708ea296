import type { CorrelationStage } from './stage';
import { matchingSilence, SILENCE_RULE } from '../rules/silences';
import { current } from './current';

/** A firing alert inside an active silence (maintenance window) is muted and opens nothing. */
export const applySilences: CorrelationStage = {
  name: 'apply-silences',
  rule: SILENCE_RULE,
  run(draft) {
    const alert = current(draft);
    if (!alert) return 'continue';
    const silence = matchingSilence(
      alert.alert,
      alert.entityRef,
      draft.context.silences,
      draft.now,
    );
    if (!silence) {
      if (alert.suppression?.reason === 'silenced')
        alert.suppression = undefined;
      return 'continue';
    }
    if (alert.suppression?.reason !== 'silenced') {
      alert.suppression = {
        reason: 'silenced',
        by: { silenceId: silence.id },
        rule: SILENCE_RULE,
      };
      draft.decisions.push({
        type: 'suppress-alert',
        alertId: alert.alert.id,
        suppression: alert.suppression,
      });
    }
    return 'stop';
  },
};
