/**
 * Isomorphic domain types and permissions of the AIOps suite for Backstage.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './api';
