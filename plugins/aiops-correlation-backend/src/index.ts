/**
 * AIOps correlation backend plugin: groups alerts into incidents by entity and catalog
 * topology with deterministic, versioned rules, ranks root causes and explains them with
 * findings; serves incidents, their lifecycle, silences and entity health.
 *
 * What another Backstage needs is the plugin; modules extend it through `@aiops/plugin-aiops-node`
 * (notification channels, LLM, metrics providers) and read its incidents over HTTP and the
 * `aiops.incident.changed` event (types in `@aiops/plugin-aiops-common`). The pure core, the
 * replay (`npm run replay`) and the evaluation harness (`npm run eval:correlation`) live in this
 * package's `src/service`, `dev/` and `src/evaluation` and are not part of its public API.
 *
 * @packageDocumentation
 */
export { aiopsCorrelationPlugin as default } from './plugin';
