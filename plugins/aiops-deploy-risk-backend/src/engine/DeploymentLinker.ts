import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Deployment, FeedItem } from '@aiops/plugin-aiops-common';
import {
  FeedConsumer,
  type FeedConsumerDatabase,
} from '@aiops/plugin-aiops-node';
import type { AssessmentStore } from '../database/AssessmentStore';
import type { SuiteReader } from './SuiteReader';

export const CONSUMER_NAME = 'aiops-deploy-risk-deployments';
/** An assessment more than this long before a deploy is not the deploy's. */
export const LINK_HORIZON_MS = 7 * 86_400_000;
const PAGE_SIZE = 200;

/**
 * Follows ingest's deployment feed and links each recorded deployment to its assessment: the
 * newest one of the same entity, environment and version assessed at or before the deploy
 * started (within 7 days) and not linked yet. The cursor lives in the plugin's database; a
 * deployment seen twice (a status change, a page read again) is linked once.
 */
export class DeploymentLinker {
  private readonly consumer: FeedConsumer<Deployment>;

  constructor(
    private readonly options: {
      database: FeedConsumerDatabase;
      suite: Pick<SuiteReader, 'deploymentFeed'>;
      store: AssessmentStore;
      logger: LoggerService;
    },
  ) {
    this.consumer = new FeedConsumer<Deployment>({
      name: CONSUMER_NAME,
      database: options.database,
      pageSize: PAGE_SIZE,
      read: (after, limit) => options.suite.deploymentFeed(after, limit),
      handle: async items => {
        // In feed order; a failure throws and the page comes again.
        for (const { item } of items) await this.link(item);
      },
    });
  }

  /** Reads the feed from the stored cursor to its end. */
  async catchUp(): Promise<void> {
    await this.consumer.catchUp();
  }

  /** Deployments an `aiops.deployment.received` event carried, with their cursors. */
  async announced(items: Array<FeedItem<Deployment>>): Promise<void> {
    await this.consumer.announced(items);
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async link(deployment: Deployment): Promise<void> {
    const { store, logger } = this.options;
    if (deployment.resolution.status !== 'resolved') return;
    if (await store.byDeployment(deployment.id)) return;
    const startedAt = Date.parse(deployment.startedAt);
    const candidates = await store.list({
      entityRef: deployment.resolution.entityRef,
      environment: deployment.environment,
      since: new Date(startedAt - LINK_HORIZON_MS).toISOString(),
      // Assessed at or before the start.
      before: new Date(startedAt + 1).toISOString(),
      limit: 100,
    });
    const assessment = candidates.find(
      a => a.request.version === deployment.version && !a.deploymentId,
    );
    if (!assessment) return;
    await store.linkDeployment(assessment.id, deployment.id);
    logger.debug(
      `Deploy-risk assessment ${assessment.id} linked to deployment ${deployment.id}`,
    );
  }
}
