/**
 * AIOps ingest backend plugin: receivers for alerts, deployments and OTLP telemetry.
 *
 * @packageDocumentation
 */
export { aiopsIngestPlugin as default } from './plugin';
export type { IngestStore } from './database/IngestStore';
