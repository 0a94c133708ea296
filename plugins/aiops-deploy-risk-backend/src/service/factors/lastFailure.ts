import type { Factor } from '../types';
import { DAY_MS, knownDeployments } from './time';

export const LAST_FAILURE_FACTOR = 'time-since-last-failure@1';

/** A failure's weight halves every this many days: fixes after a failure are themselves risky. */
export const HALF_LIFE_DAYS = 7;

/** 1 right after a failed deploy, halving every week; 0 with no failure in the window. */
export const timeSinceLastFailure: Factor = {
  id: 'time-since-last-failure',
  version: LAST_FAILURE_FACTOR,
  measure(input) {
    const now = Date.parse(input.now);
    const lastFailed = knownDeployments(input)
      .filter(d => d.outcome === 'failed')
      .map(d => Date.parse(d.at))
      .reduce((a, b) => Math.max(a, b), -Infinity);
    if (!Number.isFinite(lastFailed)) {
      return {
        id: this.id,
        version: this.version,
        label: 'Time since the last failed deploy',
        value: 0,
        explanation: 'No deploy failed in the last 90 days.',
      };
    }
    const days = Math.max(0, (now - lastFailed) / DAY_MS);
    return {
      id: this.id,
      version: this.version,
      label: 'Time since the last failed deploy',
      value: Math.round(Math.pow(0.5, days / HALF_LIFE_DAYS) * 1000) / 1000,
      explanation: `The last failed deploy was ${
        days < 1 ? 'less than a day' : `${Math.floor(days)} days`
      } ago.`,
    };
  },
};
