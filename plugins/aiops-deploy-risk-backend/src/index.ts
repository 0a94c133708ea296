/**
 * AIOps deployment risk: an explained, deterministic risk score before each deploy.
 *
 * @packageDocumentation
 */
export { aiopsDeployRiskPlugin as default, OUTCOME_TASK_ID } from './plugin';
export * from './service';
export * from './database';
export * from './policyConfig';
