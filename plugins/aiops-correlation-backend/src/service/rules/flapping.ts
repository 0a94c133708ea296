import type { CorrelationConfig } from '../types';

export const FLAP_RULE = 'flap-detection@1';

/** Adds a status change and forgets the ones older than the flap window. */
export function recordTransition(
  transitions: number[],
  atMs: number,
  windowMs: number,
): number[] {
  return [...transitions, atMs]
    .filter(t => t > atMs - windowMs)
    .sort((a, b) => a - b);
}

/** An alert is flapping when it changed status `minTransitions` times within the window. */
export function isFlapping(
  transitions: number[],
  nowMs: number,
  config: CorrelationConfig['flap'],
): boolean {
  return (
    transitions.filter(t => t > nowMs - config.windowMs && t <= nowMs).length >=
    config.minTransitions
  );
}
