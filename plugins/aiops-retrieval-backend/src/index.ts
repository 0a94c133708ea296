/**
 * AIOps retrieval backend plugin: past incidents like this one and how they were resolved,
 * by hybrid lexical, vector and structural ranking on the plugin's own database.
 *
 * @packageDocumentation
 */
export { aiopsRetrievalPlugin as default } from './plugin';
export type { Embedder } from './service/embedder';
