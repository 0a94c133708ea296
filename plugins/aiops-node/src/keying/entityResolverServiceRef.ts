import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readDurationMs } from '../config';
import { CatalogEntityResolver, type EntityResolver } from './EntityResolver';

/** `aiops.catalog.refresh`: when each plugin's resolver reloads its catalog snapshot. */
export interface CatalogRefreshSchedule {
  frequencyMs: number;
  timeoutMs: number;
  initialDelayMs: number;
}

/** Each setting on its own, so that setting `frequency` alone keeps the other defaults. */
export function readCatalogRefreshSchedule(
  root: Config,
): CatalogRefreshSchedule {
  const key = (name: string) => `aiops.catalog.refresh.${name}`;
  return {
    frequencyMs: readDurationMs(
      root,
      key('frequency'),
      { minutes: 5 },
      { positive: true },
    ),
    timeoutMs: readDurationMs(
      root,
      key('timeout'),
      { minutes: 2 },
      { positive: true },
    ),
    initialDelayMs: readDurationMs(root, key('initialDelay'), { minutes: 5 }),
  };
}

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
        const schedule = readCatalogRefreshSchedule(config);
        await scheduler.scheduleTask({
          id: 'aiops-entity-resolver-refresh',
          scope: 'local',
          frequency: { milliseconds: schedule.frequencyMs },
          timeout: { milliseconds: schedule.timeoutMs },
          initialDelay: { milliseconds: schedule.initialDelayMs },
          fn: () => resolver.refresh(),
        });
        return resolver;
      },
    }),
});
