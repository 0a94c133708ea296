import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { aiopsApiFactory } from './api/factory';
import { rootRouteRef } from './routes';

/** The AIOps plugin for apps on the legacy frontend system (`@backstage/core-plugin-api`). */
export const aiopsPlugin = createPlugin({
  id: 'aiops',
  apis: [aiopsApiFactory],
  routes: { root: rootRouteRef },
});

/** The platform overview at its mount point, with incident pages and silences below it. */
export const AiopsPage = aiopsPlugin.provide(
  createRoutableExtension({
    name: 'AiopsPage',
    component: () =>
      import('./components/AiopsRouter').then(m => m.AiopsRouter),
    mountPoint: rootRouteRef,
  }),
);

/** Health at a glance for a service's overview tab. */
export const EntityAiopsHealthCard = aiopsPlugin.provide(
  createComponentExtension({
    name: 'EntityAiopsHealthCard',
    component: {
      lazy: () =>
        import('./components/EntityHealthCard').then(m => m.EntityHealthCard),
    },
  }),
);

/** A service's incidents, for an entity page tab. */
export const EntityAiopsIncidentsContent = aiopsPlugin.provide(
  createComponentExtension({
    name: 'EntityAiopsIncidentsContent',
    component: {
      lazy: () =>
        import('./components/EntityIncidentsContent').then(
          m => m.EntityIncidentsContent,
        ),
    },
  }),
);

/** A service's deploys with their risk and outcome, on one timeline with its incidents, for a tab. */
export const EntityAiopsDeploymentsContent = aiopsPlugin.provide(
  createComponentExtension({
    name: 'EntityAiopsDeploymentsContent',
    component: {
      lazy: () =>
        import('./components/EntityDeploymentsContent').then(
          m => m.EntityDeploymentsContent,
        ),
    },
  }),
);

/** A service's active and acknowledged metric regressions, each charted, for its overview tab. */
export const EntityAiopsRegressionsCard = aiopsPlugin.provide(
  createComponentExtension({
    name: 'EntityAiopsRegressionsCard',
    component: {
      lazy: () =>
        import('./components/EntityRegressionsCard').then(
          m => m.EntityRegressionsCard,
        ),
    },
  }),
);

/** A team's open incidents, on-call load and noisiest services, for a group page. */
export const EntityAiopsGroupCard = aiopsPlugin.provide(
  createComponentExtension({
    name: 'EntityAiopsGroupCard',
    component: {
      lazy: () =>
        import('./components/GroupIncidentsCard').then(
          m => m.GroupIncidentsCard,
        ),
    },
  }),
);
