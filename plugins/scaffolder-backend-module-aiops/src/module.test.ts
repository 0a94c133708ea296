import {
  createBackendPlugin,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleAiops } from './module';

describe('scaffolderModuleAiops', () => {
  it('adds aiops:deploy-risk:check to the scaffolder', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    // Stands in for the scaffolder plugin: only its actions extension point matters here.
    const scaffolder: BackendFeature = createBackendPlugin({
      pluginId: 'scaffolder',
      register(env) {
        env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
          addActions: (...actions) => added.push(...actions),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const backend = await startTestBackend({
      features: [scaffolder, scaffolderModuleAiops],
    });
    expect(added.map(a => a.id)).toEqual(['aiops:deploy-risk:check']);
    await backend.stop();
  });
});
