import { parseDuration } from '@aiops/plugin-aiops-node';
import { quote, type GroundingRule } from './rule';

export const KNOWN_DURATIONS_RULE = 'known-durations@1';

/**
 * Every duration is a span between the facts' moments (a deployment to its first alert, onset
 * to opened, …) or one the facts' texts state, in the unit written and rounded or cut to the
 * precision written: "3 minutes" for 3 min 40 s is the same span, "5 minutes" is not.
 */
export const knownDurations: GroundingRule = {
  id: KNOWN_DURATIONS_RULE,
  check({ mentions }, vocab) {
    const problems = new Set<string>();
    for (const m of mentions) {
      if (m.kind !== 'duration') continue;
      const parsed = parseDuration(m.text);
      if (!parsed) continue;
      const { value, unitMs, decimals } = parsed;
      const scale = 10 ** decimals;
      const matches = vocab.durations.some(ms => {
        const inUnit = (ms / unitMs) * scale;
        return (
          Math.round(inUnit) / scale === value ||
          Math.floor(inUnit) / scale === value
        );
      });
      if (!matches)
        problems.add(
          `states ${quote(m.text)}, a duration that is not in the facts`,
        );
    }
    return [...problems];
  },
};
