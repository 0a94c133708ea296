export type {
  ChangePoint,
  ChangePointMethod,
  ChangePointOptions,
} from './types';
export type { EDivisiveOptions } from './eDivisive';
export { eDivisiveT, E_DIVISIVE_T, E_DIVISIVE_DEFAULTS } from './eDivisive';
