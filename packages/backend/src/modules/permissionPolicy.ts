import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { AiopsPermissionPolicy } from './AiopsPermissionPolicy';

/** Installs {@link AiopsPermissionPolicy}, with administrators from `aiops.permissions.admins`. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'aiops-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const admins =
          config.getOptionalStringArray('aiops.permissions.admins') ?? [];
        policy.setPolicy(new AiopsPermissionPolicy({ admins }));
      },
    });
  },
});
