/**
 * Fixtures for tests of the suite's plugins, imported as `@aiops/plugin-aiops-node/testUtils`
 * so that both the node library and the narrator test against the same incident, and any plugin
 * against the same stand-in for the Mistral API (msw, for the real SDK's requests; the caller
 * needs msw as a dev dependency).
 *
 * @packageDocumentation
 */
export * from './cartIncident';
export * from './fakeMistral';
