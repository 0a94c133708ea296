import type { Factor } from '../types';
import { DAY_MS, knownDeployments, plural } from './time';

export const DEPLOY_FREQUENCY_FACTOR = 'deploy-frequency@1';

/** Deploys per 30 days at which a team counts as practised; below it the value grows. */
export const PRACTISED_PER_30_DAYS = 8;

/**
 * Teams that deploy rarely ship bigger batches and exercise their rollback less: the value is
 * log2(8 / (1 + deploys in the last 30 days)), floored at 0, so weekly-or-better deployers
 * score 0 and a service not deployed for a month scores 3.
 */
export const deployFrequency: Factor = {
  id: 'deploy-frequency',
  version: DEPLOY_FREQUENCY_FACTOR,
  measure(input) {
    const now = Date.parse(input.now);
    const recent = knownDeployments(input).filter(
      d => Date.parse(d.at) >= now - 30 * DAY_MS,
    ).length;
    const value = Math.max(0, Math.log2(PRACTISED_PER_30_DAYS / (1 + recent)));
    return {
      id: this.id,
      version: this.version,
      label: 'Deploy frequency',
      value: Math.round(value * 1000) / 1000,
      explanation: `${plural(recent, 'deploy')} in the last 30 days${
        value === 0
          ? ', a practised cadence'
          : ', fewer than a practised cadence'
      }.`,
    };
  },
};
