/**
 * Fixtures for tests of the suite's plugins, imported as `@aiops/plugin-aiops-node/testUtils`
 * so that both the node library and the narrator test against the same incident.
 *
 * @packageDocumentation
 */
export * from './cartIncident';
