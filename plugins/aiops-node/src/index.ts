/**
 * Backend library of the AIOps suite: event topics, catalog keying and the services and
 * extension points shared by its plugins.
 *
 * @packageDocumentation
 */
export * from './topics';
export * from './keying';
export * from './permissions/incidentPermissions';
export { isAllowed } from './permissions/isAllowed';
export * from './config';
export * from './http';
export * from './database';
export * from './metrics';
export * from './extensions';
export * from './llm';
export * from './feeds';
export * from './narrative';
export * from './suite';
export * from './retrieval';
