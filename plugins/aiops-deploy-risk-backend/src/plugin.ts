import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  AIOPS_TOPICS,
  entityResolverServiceRef,
  logEffectiveDurations,
  type AiopsEventPayloads,
} from '@aiops/plugin-aiops-node';
import { DatabaseAssessmentStore } from './database/DatabaseAssessmentStore';
import { DeploymentLinker } from './engine/DeploymentLinker';
import { OutcomeRecorder } from './engine/OutcomeRecorder';
import { HttpSuiteReader } from './engine/SuiteReader';
import { SuiteRiskContextSource } from './engine/SuiteRiskContextSource';
import { readDeployRiskPluginConfig } from './policyConfig';
import { createRouter } from './router';
import { Assessor } from './service/assessor';
import { readDeployRiskConfig } from './service/config';

/** The scheduled task's id (tests trigger it). */
export const OUTCOME_TASK_ID = 'aiops-deploy-risk-outcomes';

/**
 * aiops-deploy-risk: scores a deploy before it ships from what the suite knows (the catalog
 * neighbourhood, correlation's open incidents, ingest's deployments, the regression detector's
 * regressions and the owner's policy), stores the assessment, and later links it to the
 * deployment ingest records and records its outcome. Writes only its own tables.
 */
export const aiopsDeployRiskPlugin = createBackendPlugin({
  pluginId: 'aiops-deploy-risk',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        events: eventsServiceRef,
        entities: entityResolverServiceRef,
      },
      async init(deps) {
        const { rootConfig, logger, entities, scheduler, events } = deps;
        const scoring = readDeployRiskConfig(rootConfig);
        const config = readDeployRiskPluginConfig(rootConfig);
        logEffectiveDurations(logger, 'aiops-deploy-risk', {
          outcomeWindow: config.outcomeWindowMs,
          outcomeInterval: config.outcomeIntervalMs,
        });
        const store = await DatabaseAssessmentStore.create({
          database: deps.database,
        });
        const suite = new HttpSuiteReader({
          discovery: deps.discovery,
          auth: deps.auth,
        });
        const snapshot = () => entities.snapshot();
        const assessor = new Assessor({
          source: new SuiteRiskContextSource({
            snapshot,
            suite,
            store,
            config,
          }),
          store,
          config: scoring,
        });
        deps.httpRouter.use(
          await createRouter({
            assessor,
            store,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
          }),
        );

        // Ingest's deployments, as they are recorded: each is linked to its assessment.
        const linker = new DeploymentLinker({
          database: await deps.database.getClient(),
          suite,
          store,
          logger,
        });
        await events.subscribe({
          id: 'aiops-deploy-risk-deployments',
          topics: [AIOPS_TOPICS.deploymentReceived],
          async onEvent({ eventPayload }) {
            const { deployments } =
              eventPayload as AiopsEventPayloads[typeof AIOPS_TOPICS.deploymentReceived];
            await linker.announced(
              deployments.map(({ deployment, cursor }) => ({
                item: deployment,
                cursor,
              })),
            );
          },
        });
        deps.lifecycle.addShutdownHook(() => linker.stop());

        const recorder = new OutcomeRecorder({
          store,
          suite,
          snapshot,
          windowMs: config.outcomeWindowMs,
          logger,
        });
        await scheduler.scheduleTask({
          id: OUTCOME_TASK_ID,
          // One recorder across replicas; its steps are idempotent anyway.
          scope: 'global',
          frequency: { milliseconds: config.outcomeIntervalMs },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            // Deployments whose events were missed (a restart, another replica) first.
            await linker.catchUp();
            await recorder.run();
          },
        });
      },
    });
  },
});
