import type { Factor } from '../types';
import { knownDeployments } from './time';

export const CHANGE_FAILURE_RATE_FACTOR = 'change-failure-rate@1';

/**
 * Beta prior on a service's change-failure rate: mean 15% (DORA's "medium performer" band),
 * worth 4 deploys of evidence. A new service starts at the prior; its own outcomes take over
 * after a handful of deploys.
 */
export const PRIOR = { mean: 0.15, strength: 4 };

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * The posterior mean of the failure rate over the recorded outcomes in the history window,
 * as log-odds relative to the prior, so that a service with no history contributes 0 and the
 * weight reads as "how much the service's own record moves the odds".
 */
export const changeFailureRate: Factor = {
  id: 'change-failure-rate',
  version: CHANGE_FAILURE_RATE_FACTOR,
  measure(input) {
    const known = knownDeployments(input).filter(d => d.outcome !== 'pending');
    const failed = known.filter(d => d.outcome === 'failed').length;
    const alpha = PRIOR.mean * PRIOR.strength;
    const beta = (1 - PRIOR.mean) * PRIOR.strength;
    const posterior = (failed + alpha) / (known.length + alpha + beta);
    const value =
      Math.round((logit(posterior) - logit(PRIOR.mean)) * 1000) / 1000;
    const pct = (p: number) => `${Math.round(p * 100)}%`;
    const explanation =
      known.length === 0
        ? `No recorded outcome in the last 90 days, so the prior of ${pct(
            PRIOR.mean,
          )} is used.`
        : `${failed} of ${
            known.length
          } deploys in the last 90 days failed; with the prior that estimates a change-failure rate of ${pct(
            posterior,
          )}.`;
    return {
      id: this.id,
      version: this.version,
      label: 'Change-failure rate (90 days)',
      value,
      explanation,
    };
  },
};
