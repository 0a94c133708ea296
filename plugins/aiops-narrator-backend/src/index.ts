/**
 * AIOps narrator backend plugin: incident narratives from correlation's findings, a
 * deterministic template first and a language model's rewrite only when it passes the
 * grounding check.
 *
 * @packageDocumentation
 */
export { aiopsNarratorPlugin as default } from './plugin';
