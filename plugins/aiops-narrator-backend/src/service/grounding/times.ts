import { parseClock, parseDateTime } from '@aiops/plugin-aiops-node';
import { quote, type GroundingRule } from './rule';

export const KNOWN_TIMES_RULE = 'known-times@1';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Minute of the UTC day, cut or rounded: people write 10:03 for 10:03:40, some write 10:04. */
function minutesOfDay(ms: number): number[] {
  const cut = Math.floor((ms % DAY) / MINUTE);
  const rounded = Math.round((ms % DAY) / MINUTE) % (24 * 60);
  return cut === rounded ? [cut] : [cut, rounded];
}

/**
 * Every time of day, date and timestamp in the text is a fact's moment (in UTC): an alert's
 * start or end, a deployment, a change point, when the incident opened, was acknowledged or
 * resolved, or one the facts' texts state.
 */
export const knownTimes: GroundingRule = {
  id: KNOWN_TIMES_RULE,
  check({ mentions }, vocab) {
    const problems = new Set<string>();
    for (const m of mentions) {
      let grounded = true;
      if (m.kind === 'clock') {
        const parsed = parseClock(m.text);
        grounded =
          !!parsed &&
          vocab.times.some(t =>
            parsed.second !== undefined
              ? Math.floor((t % DAY) / 1000) ===
                parsed.minuteOfDay * 60 + parsed.second
              : minutesOfDay(t).includes(parsed.minuteOfDay),
          );
      } else if (m.kind === 'date') {
        grounded = vocab.times.some(
          t => new Date(t).toISOString().slice(0, 10) === m.text,
        );
      } else if (m.kind === 'datetime') {
        const at = parseDateTime(m.text);
        const precise = /:\d{2}:\d{2}/.test(m.text);
        grounded =
          at !== undefined &&
          vocab.times.some(t =>
            precise
              ? Math.floor(t / 1000) === Math.floor(at / 1000)
              : Math.floor(t / MINUTE) * MINUTE === at ||
                Math.round(t / MINUTE) * MINUTE === at,
          );
      } else continue;
      if (!grounded)
        problems.add(
          `states ${quote(m.text)}, a time that is not in the facts`,
        );
    }
    return [...problems];
  },
};
