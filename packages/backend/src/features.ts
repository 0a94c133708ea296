import appBackend from '@backstage/plugin-app-backend';
import authBackend from '@backstage/plugin-auth-backend';
import authGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogLogs from '@backstage/plugin-catalog-backend-module-logs';
import catalogScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import eventsBackend from '@backstage/plugin-events-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderNotifications from '@backstage/plugin-scaffolder-backend-module-notifications';
import scaffolderAiops from '@aiops/plugin-scaffolder-backend-module-aiops';
import searchBackend from '@backstage/plugin-search-backend';
import searchCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import searchPostgres from '@backstage/plugin-search-backend-module-pg';
import signalsBackend from '@backstage/plugin-signals-backend';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';
import aiopsIngest from '@aiops/plugin-aiops-ingest-backend';
import aiopsCorrelation from '@aiops/plugin-aiops-correlation-backend';
import aiopsNarrator from '@aiops/plugin-aiops-narrator-backend';
import aiopsRetrieval from '@aiops/plugin-aiops-retrieval-backend';
import aiopsRegression from '@aiops/plugin-aiops-regression-backend';
import aiopsDeployRisk from '@aiops/plugin-aiops-deploy-risk-backend';
import aiopsPermissionPolicy from './modules/permissionPolicy';
import aiopsDemoTraffic from './modules/demoTraffic';
import { rootHttpRouter } from './rootHttpRouter';

/**
 * The backend's plugin set, shared by `index.ts` and the tests that start the real backend.
 */
export const backendFeatures = [
  // Backstage's root HTTP router, without Express's per-request prototype change.
  rootHttpRouter,
  appBackend,
  authBackend,
  // Guest sign-in; app-config.production.yaml removes the provider.
  authGuestProvider,
  catalogBackend,
  catalogScaffolderEntityModel,
  catalogLogs,
  permissionBackend,
  aiopsPermissionPolicy,
  scaffolderBackend,
  scaffolderNotifications,
  // aiops:deploy-risk:check (examples/deploy-template).
  scaffolderAiops,
  eventsBackend,
  notificationsBackend,
  signalsBackend,
  searchBackend,
  // PostgreSQL full-text search in production; in-memory Lunr on SQLite.
  searchPostgres,
  searchCatalogCollator,
  userSettingsBackend,

  aiopsIngest,
  aiopsCorrelation,
  aiopsNarrator,
  aiopsRetrieval,
  // Regressions on the embedded rollups by default (aiops.regression.providers).
  aiopsRegression,
  // Deploy risk before each deploy: POST /api/aiops-deploy-risk/assessments (scaffolder, CI).
  aiopsDeployRisk,
  aiopsDemoTraffic,
];
