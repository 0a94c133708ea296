/**
 * Backend library of the AIOps suite: event topics, catalog keying and the services and
 * extension points shared by its plugins.
 *
 * @packageDocumentation
 */
export * from './topics';
export * from './keying';
