/**
 * Demo traffic: synthetic telemetry, deployments and alerts for the demo catalog, sent through
 * the real aiops-ingest HTTP API while `aiops.demo.enabled` is true.
 */
export { demoTrafficModule as default } from './module';
