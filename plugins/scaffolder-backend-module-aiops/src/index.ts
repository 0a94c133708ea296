/**
 * Scaffolder actions of the AIOps suite: aiops:deploy-risk:check fails a step at or above a risk level
 *
 * @packageDocumentation
 */
export {};
