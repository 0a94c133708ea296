/**
 * AIOps ingest backend plugin: receivers for alerts, deployments and OTLP telemetry.
 *
 * @packageDocumentation
 */
export { aiopsIngestPlugin as default } from './plugin';
export type { IngestStore } from './database/IngestStore';

// The receivers' pure parsing and the stored alert's lifecycle, for tools that run recorded
// traffic through the same normalisation the receivers apply (correlation's `npm run replay`).
export { parseAlertmanagerWebhook } from './service/alerts/alertmanager';
export { applyAlertDelivery } from './service/alerts/alertLifecycle';
export { parseCdEvent, parseGenericDeployments } from './service/deployments';
export { applyDeploymentEvent } from './service/deploymentLifecycle';
export type { AlertInput, DeploymentInput } from './service/inputs';
