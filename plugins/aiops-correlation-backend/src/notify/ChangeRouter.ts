import type { FeedItem } from '@aiops/plugin-aiops-common';
import type { FeedConsumer } from '@aiops/plugin-aiops-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentStore } from '../database/IncidentStore';
import type { NotificationStore } from '../database/NotificationStore';
import { routeChange, type RoutingCatalog } from '../service/routing/route';
import type {
  ChannelRouting,
  IncidentChange,
  RoutingConfig,
} from '../service/routing/types';
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
 *
 * A change that fails to route holds back only its incident's later changes: other incidents'
 * changes are routed in the same run. The consumer's cursor stays before it, so a restart
 * routes it again (and nothing twice), and every run tries it again. Once it has failed for
 * longer than `aiops.routing.routingRetryLimit` it is given up — reported as a routing problem,
 * logged as an error, noted on its incident's timeline — and marked routed with no messages,
 * so its incident's later changes go out.
 */
export class ChangeRouter {
  private readonly changes: FeedConsumer<IncidentChange>;

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
      /** Every registered channel, the plugin's own and those modules added. */
      channels: ChannelRouting[];
    },
  ) {
    const { notifications, delivery, clock } = options;
    this.changes = notifications.consumer({
      name: ROUTING_CONSUMER,
      // Only what is not routed yet: a run re-reads the changes left before, not all since.
      read: (after, limit) => notifications.unroutedChanges(after, limit),
      handle: (items, page) => this.routeInOrder(items, page.after),
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
   * Routes the changes in order. A change that fails waits for the next run, and so do its
   * incident's later changes (where a follow-up goes depends on where the change before went);
   * the others are routed. Resolves to the cursor every change up to which is routed when one
   * was left (`after` when the first was), to nothing when none was.
   */
  private async routeInOrder(
    items: Array<FeedItem<IncidentChange>>,
    after: string,
  ): Promise<string | undefined> {
    const waiting = new Set<string>();
    let done = after;
    let left = false;
    for (const { item: change, cursor } of items) {
      if (waiting.has(change.incidentId) || !(await this.tryRoute(change))) {
        waiting.add(change.incidentId);
        left = true;
      } else if (!left) {
        done = cursor;
      }
    }
    return left ? done : undefined;
  }

  /** True when the change is routed (or given up), false when it waits for the next run. */
  private async tryRoute(change: IncidentChange): Promise<boolean> {
    try {
      await this.route(change);
      return true;
    } catch (error) {
      return this.failed(change, error);
    }
  }

  /**
   * Records the failure; gives the change up once it has failed for longer than the retry
   * limit. A failure to record it (the database) fails the run, as any database error does.
   */
  private async failed(change: IncidentChange, error: unknown) {
    const { notifications, delivery, problems, logger, clock } = this.options;
    const at = clock().toISOString();
    const what = `change ${change.id} (${change.kind}) of incident ${change.incidentId}`;
    const failure = await notifications.recordRoutingFailure(change.id, {
      at,
      error: String(error),
    });
    if (!failure) return true; // routed meanwhile
    const { since, failures } = failure;
    if (Date.parse(at) - Date.parse(since) < delivery.routingRetryLimitMs) {
      const text = `Routing ${what} failed (${failures} time(s) since ${since}); the incident's later changes wait for it: ${error}`;
      // Warned of once: every run tries it again until it routes or is given up.
      if (failures === 1) logger.warn(text);
      else logger.debug(text);
      return false;
    }
    const message = `Gave up routing ${what} after ${failures} failure(s) since ${since} (aiops.routing.routingRetryLimit); nobody was notified of it. Last error: ${error}`;
    problems.report(
      [
        {
          key: `unroutable:${change.incidentId}`,
          message,
          incidentId: change.incidentId,
        },
      ],
      at,
    );
    logger.error(message);
    await notifications.giveUpRouting(change, { at });
    return true;
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
          record: { alerts: details.alerts, findings: details.findings },
          config,
          nowMs: now.getTime(),
          alreadySent: await notifications.sentTargets(change.incidentId),
          channels: this.options.channels,
        })
      : { deliveries: [], problems: [] };
    this.options.problems.report(route.problems, now.toISOString());
    await notifications.recordRoute(change, route.deliveries, {
      now: now.toISOString(),
      rateLimit: config.rateLimit,
    });
  }
}
