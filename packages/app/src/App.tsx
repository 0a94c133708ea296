import { createApp } from '@backstage/frontend-defaults';
import aiopsPlugin from '@aiops/plugin-aiops/alpha';
import apiDocsPlugin from '@backstage/plugin-api-docs/alpha';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

/**
 * Features are listed explicitly (rather than only discovered through `app.packages: all`)
 * so that tests render the same app as the browser.
 */
export default createApp({
  features: [
    aiopsPlugin,
    catalogPlugin,
    catalogGraphPlugin,
    apiDocsPlugin,
    orgPlugin,
    scaffolderPlugin,
    searchPlugin,
    notificationsPlugin,
    signalsPlugin,
    userSettingsPlugin,
    navModule,
    signInModule,
  ],
});
