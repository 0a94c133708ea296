/* eslint-disable @backstage/no-relative-monorepo-imports */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type {
  BackendFeature,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import type { Server } from 'node:http';
// The suite as it runs: deploy risk reads what the real ingest and correlation serve.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import aiopsIngestPlugin from '@aiops/plugin-aiops-ingest-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import aiopsCorrelationPlugin from '@aiops/plugin-aiops-correlation-backend';
import { loadDemoEntities } from '../../../aiops-correlation-backend/src/evaluation/demoCatalog';
import { aiopsDeployRiskPlugin, OUTCOME_TASK_ID } from '../plugin';

export {
  alertmanagerGroup,
  asService,
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  storm,
} from '../../../aiops-correlation-backend/src/__testUtils__/startSuite';

export interface DeployRiskSuite {
  server: Server;
  stop(): Promise<void>;
  /** Runs correlation's scheduled tick once. */
  tick(): Promise<void>;
  /** Runs the outcome task once (links deployments, closes windows). */
  recordOutcomes(): Promise<void>;
  /** Runs any scheduled task once, e.g. an extra plugin's. */
  trigger(taskId: string): Promise<void>;
}

/**
 * The real ingest, correlation and deploy-risk plugins on the demo catalog. The regression
 * detector is not installed: its API answers 404, which deploy risk reads as "no regressions".
 */
export async function startDeployRiskSuite(
  options: {
    extraFeatures?: Array<ServiceFactory | BackendFeature>;
    /** More of `aiops.*` (e.g. `deployRisk`). */
    aiops?: Record<string, unknown>;
  } = {},
): Promise<DeployRiskSuite> {
  const events = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      (scheduler as unknown as { factory(): ServiceFactory }).factory(),
      aiopsIngestPlugin,
      aiopsCorrelationPlugin,
      aiopsDeployRiskPlugin,
      catalogServiceMock.factory({ entities: loadDemoEntities() }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://backstage.example' },
          aiops: {
            correlation: { checkpointInterval: { milliseconds: 0 } },
            routing: { fallbackGroup: 'group:default/platform-team' },
            ...options.aiops,
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
    recordOutcomes: () => scheduler.triggerTask(OUTCOME_TASK_ID),
    trigger: taskId => scheduler.triggerTask(taskId),
  };
}
