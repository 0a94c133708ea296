export type {
  ChangePoint,
  ChangePointMethod,
  ChangePointOptions,
} from './types';
export type { EDivisiveOptions } from './eDivisive';
export { eDivisiveT, E_DIVISIVE_T, E_DIVISIVE_DEFAULTS } from './eDivisive';
export type { SeasonalDrift, SeasonalDriftOptions } from './seasonalDrift';
export { seasonalDrift, SEASONAL_DRIFT_METHOD } from './seasonalDrift';
