/**
 * AIOps regression detector backend plugin: change points and per-deploy comparisons on every
 * service's metrics, statistically, with no LLM (part of the data plane).
 *
 * @packageDocumentation
 */
export { aiopsRegressionPlugin as default } from './plugin';
export * from './service/changepoints';
export * from './service/deployComparison';
export type {
  RegressionStore,
  StoredRegression,
  RegressionStatus,
  EntityRun,
} from './database/RegressionStore';
