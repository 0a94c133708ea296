import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { CatalogEntityResolver, type EntityResolver } from './EntityResolver';

/**
 * Each plugin gets its own resolver (and cache), refreshed on the plugin's scheduler; the
 * refresh is per instance because the cache lives in this process. The first load happens on
 * the first signal, not at start-up, when the catalog may not have processed its locations.
 */
export const entityResolverServiceRef = createServiceRef<EntityResolver>({
  id: 'aiops.entity-resolver',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
      },
      async factory({ catalog, auth, logger, scheduler, config }) {
        const resolver = new CatalogEntityResolver({ catalog, auth, logger });
        const scheduleConfig = config.getOptionalConfig(
          'aiops.catalog.refresh',
        );
        await scheduler.scheduleTask({
          id: 'aiops-entity-resolver-refresh',
          scope: 'local',
          ...(scheduleConfig
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                scheduleConfig,
              )
            : {
                frequency: { minutes: 5 },
                timeout: { minutes: 2 },
                initialDelay: { minutes: 5 },
              }),
          fn: () => resolver.refresh(),
        });
        return resolver;
      },
    }),
});
