/**
 * AIOps deployment risk: an explained, deterministic risk score before each deploy.
 *
 * @packageDocumentation
 */
export * from './service';
export * from './database';
