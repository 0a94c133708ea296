/**
 * The AIOps suite on Backstage pages: health and regressions cards and incidents and
 * deployments tabs for services, the incident view, a team card, the platform overview and
 * silences.
 *
 * This entry point is for apps on the legacy frontend system; `@aiops/plugin-aiops/alpha` is
 * the plugin for the new frontend system.
 *
 * @packageDocumentation
 */
export {
  aiopsPlugin,
  AiopsPage,
  EntityAiopsDeploymentsContent,
  EntityAiopsGroupCard,
  EntityAiopsHealthCard,
  EntityAiopsIncidentsContent,
  EntityAiopsRegressionsCard,
} from './plugin';
export { aiopsApiRef, type AiopsApi } from './api/AiopsApi';
export { AiopsClient } from './api/AiopsClient';
export { rootRouteRef as aiopsRouteRef } from './routes';
