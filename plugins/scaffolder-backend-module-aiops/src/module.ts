import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createDeployRiskCheckAction } from './actions/deployRiskCheck';

/** The AIOps suite's scaffolder actions: `aiops:deploy-risk:check`. */
export const scaffolderModuleAiops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aiops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        scaffolder.addActions(createDeployRiskCheckAction({ discovery, auth }));
      },
    });
  },
});
