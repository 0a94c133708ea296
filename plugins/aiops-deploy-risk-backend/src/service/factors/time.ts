import type { RiskInput } from '../types';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** When the deploy happens: the planned time, or the assessment time when none is given. */
export function deployTime(input: RiskInput): number {
  const planned = input.request.plannedAt
    ? Date.parse(input.request.plannedAt)
    : NaN;
  return Number.isFinite(planned) ? planned : Date.parse(input.now);
}

/** Deploys whose time is before the assessment: later ones cannot be known yet. */
export function knownDeployments(input: RiskInput) {
  const now = Date.parse(input.now);
  return input.deployments.filter(d => Date.parse(d.at) < now);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
