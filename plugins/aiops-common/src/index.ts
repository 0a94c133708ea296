/**
 * Isomorphic domain types, permissions and text helpers of the AIOps suite for Backstage.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './api';
export * from './schema/openapi/generated';
export * from './text';
