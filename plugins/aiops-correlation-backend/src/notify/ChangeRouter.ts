import type { IncidentChangeFeedItem } from '@aiops/plugin-aiops-common';
import type {
  AiopsNotificationChannel,
  FeedConsumer,
} from '@aiops/plugin-aiops-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentStore } from '../database/IncidentStore';
import type { NotificationStore } from '../database/NotificationStore';
import { routeChange, type RoutingCatalog } from '../service/routing/route';
import type { IncidentChange, RoutingConfig } from '../service/routing/types';
import type { DeliveryConfig } from './config';
import type { RoutingProblems } from './RoutingProblems';

/** The change feed consumer routing keeps its cursor under (in correlation's database). */
const ROUTING_CONSUMER = 'aiops-notification-routing';

/**
 * Turns recorded incident changes into outbox rows: who hears of each, how and when.
 *
 * Changes come from the change feed in commit order, so an incident's changes are routed one
 * after the other (where its messages already went decides where a follow-up goes). One
 * replica routes at a time (the consumer's lease); a change routed twice, after a failure or a
 * lapsed lease, stores nothing the second time (`recordRoute`).
 */
export class ChangeRouter {
  private readonly changes: FeedConsumer<IncidentChangeFeedItem>;

  constructor(
    private readonly options: {
      incidents: IncidentStore;
      notifications: NotificationStore;
      /** The catalog, current for the given entities (`EntityResolver.snapshot`). */
      catalog: (entityRefs?: string[]) => Promise<RoutingCatalog>;
      config: RoutingConfig;
      delivery: DeliveryConfig;
      problems: RoutingProblems;
      clock: () => Date;
      logger: LoggerService;
      /** Channels modules added (`aiopsNotificationChannelsExtensionPoint`). */
      addedChannels?: AiopsNotificationChannel[];
    },
  ) {
    const { notifications, delivery, clock } = options;
    this.changes = notifications.consumer({
      name: ROUTING_CONSUMER,
      read: (after, limit) => notifications.changeFeed(after, limit),
      handle: items => this.routeInOrder(items.map(({ item }) => item.change)),
      start: () => notifications.firstUnroutedCursor(),
      pageSize: delivery.batchSize,
      leaseMs: delivery.leaseMs,
      now: () => clock().getTime(),
    });
  }

  /** Routes the changes recorded since the last routed one; returns how many. */
  routePending(): Promise<number> {
    return this.changes.catchUp();
  }

  /** An announcement said the change feed holds changes up to `cursor`. */
  routeUpTo(cursor: string): Promise<number> {
    return this.changes.reached(cursor);
  }

  /** Lets the routing in progress finish. */
  stop(): Promise<void> {
    return this.changes.stop();
  }

  /**
   * Stops at the first change that cannot be routed: the consumer keeps its cursor before the
   * page, and the next run routes the page again (the changes routed already store nothing).
   */
  private async routeInOrder(changes: IncidentChange[]) {
    for (const change of changes) {
      try {
        await this.route(change);
      } catch (error) {
        this.options.logger.error(
          `Routing change ${change.id} (${change.kind}) of incident ${change.incidentId} failed: ${error}`,
        );
        throw error;
      }
    }
  }

  private async route(change: IncidentChange) {
    const { incidents, notifications, config, clock } = this.options;
    const now = clock();
    const details = await incidents.getIncident(change.incidentId);
    const { primaryEntityRef, owner } = details?.incident ?? {};
    const catalog = await this.options.catalog(
      [primaryEntityRef, owner].filter((ref): ref is string => !!ref),
    );
    const route = details
      ? routeChange({
          change,
          incident: details.incident,
          catalog,
          config,
          nowMs: now.getTime(),
          alreadySent: await notifications.sentTargets(change.incidentId),
          addedChannels: this.options.addedChannels,
        })
      : { deliveries: [], problems: [] };
    this.options.problems.report(route.problems, now.toISOString());
    await notifications.recordRoute(change, route.deliveries, {
      now: now.toISOString(),
      rateLimit: config.rateLimit,
    });
  }
}
