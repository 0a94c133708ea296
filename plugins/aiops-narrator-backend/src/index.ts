/**
 * AIOps narrator backend plugin: incident narratives from correlation's findings.
 *
 * The plugin itself is not wired yet (issue [F]); the deterministic core (facts, template
 * narrator, grounding check, redaction) lives in `src/service` and is not part of the public API.
 *
 * @packageDocumentation
 */
export {};
