import type { Factor } from '../types';
import { activeRegressions } from './activeRegressions';
import { blastRadius } from './blastRadius';
import { changeFailureRate } from './changeFailureRate';
import { changeSize } from './changeSize';
import { deployFrequency } from './deployFrequency';
import { openIncidents } from './openIncidents';
import { riskyPaths } from './riskyPaths';
import { timeSinceLastFailure } from './lastFailure';
import { timing } from './timing';

/** Every factor, in a fixed order (the order of the weight vector in the evaluation). */
export const FACTORS: Factor[] = [
  openIncidents,
  changeFailureRate,
  timeSinceLastFailure,
  blastRadius,
  activeRegressions,
  changeSize,
  riskyPaths,
  timing,
  deployFrequency,
];

export const FACTOR_IDS = FACTORS.map(f => f.id);

export {
  activeRegressions,
  blastRadius,
  changeFailureRate,
  changeSize,
  deployFrequency,
  openIncidents,
  riskyPaths,
  timeSinceLastFailure,
  timing,
};
export { classifyPath, classifyPaths } from './pathClassifier';
export type { PathKind } from './pathClassifier';
