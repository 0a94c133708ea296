/* eslint-disable @backstage/no-relative-monorepo-imports */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createServiceFactory,
  type BackendFeature,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import type { Server } from 'node:http';
import { llmServiceRef, type LlmService } from '@aiops/plugin-aiops-node';
// The suite's data plane as it runs: the narrator reads what the real plugins serve.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import aiopsIngestPlugin from '@aiops/plugin-aiops-ingest-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import aiopsCorrelationPlugin from '@aiops/plugin-aiops-correlation-backend';
import { loadDemoEntities } from '../../../aiops-correlation-backend/src/evaluation/demoCatalog';
import { aiopsNarratorPlugin } from '../plugin';

export {
  alertmanagerGroup,
  asService,
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  storm,
} from '../../../aiops-correlation-backend/src/__testUtils__/startSuite';

export interface NarratorSuite {
  server: Server;
  stop(): Promise<void>;
  /** Runs correlation's scheduled tick once. */
  tick(): Promise<void>;
  /** Runs the narrator's catch-up once (reads the change feed, narrates what is due). */
  catchUp(): Promise<void>;
  /** Runs a scheduled task of another plugin given in `extraFeatures` by its id. */
  trigger(taskId: string): Promise<void>;
}

/**
 * The real ingest, correlation and narrator plugins on the demo catalog, with no debounce (the
 * narrator narrates as soon as it reads a change) and, when given, a language model.
 */
export async function startNarratorSuite(
  options: {
    llm?: LlmService;
    narratorConfig?: object;
    extraFeatures?: Array<ServiceFactory | BackendFeature>;
  } = {},
): Promise<NarratorSuite> {
  const events = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      (scheduler as unknown as { factory(): ServiceFactory }).factory(),
      aiopsIngestPlugin,
      aiopsCorrelationPlugin,
      aiopsNarratorPlugin,
      catalogServiceMock.factory({ entities: loadDemoEntities() }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      ...(options.llm
        ? [
            createServiceFactory({
              service: llmServiceRef,
              deps: {},
              factory: () => options.llm!,
            }),
          ]
        : []),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://backstage.example' },
          aiops: {
            correlation: { checkpointInterval: { milliseconds: 0 } },
            routing: { fallbackGroup: 'group:default/platform-team' },
            narrator: { debounce: 'PT0S', ...options.narratorConfig },
          },
        },
      }),
      ...(options.extraFeatures ?? []),
    ],
  });
  return {
    server: backend.server,
    stop: () => backend.stop(),
    tick: () => scheduler.triggerTask('aiops-correlation-tick'),
    catchUp: () => scheduler.triggerTask('aiops-narrator-catch-up'),
    trigger: taskId => scheduler.triggerTask(taskId),
  };
}
