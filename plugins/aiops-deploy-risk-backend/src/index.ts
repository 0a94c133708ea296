/**
 * AIOps deployment risk: an explained, deterministic risk score before each deploy, with recorded outcomes, for the scaffolder and CI
 *
 * @packageDocumentation
 */
export {};
