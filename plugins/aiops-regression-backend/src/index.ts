/**
 * AIOps regression detector backend plugin: change points and per-deploy comparisons on every
 * service's metrics, statistically, with no LLM (part of the data plane).
 *
 * @packageDocumentation
 */
export * from './service/changepoints';
export * from './service/deployComparison';
