import type { AiopsNotificationChannel } from '@aiops/plugin-aiops-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentStore } from '../database/IncidentStore';
import type { NotificationStore } from '../database/NotificationStore';
import { routeChange, type RoutingCatalog } from '../service/routing/route';
import type { IncidentChange, RoutingConfig } from '../service/routing/types';
import type { DeliveryConfig } from './config';
import type { RoutingProblems } from './RoutingProblems';

/**
 * Claims per run: an incident's next change becomes claimable once the one before is routed, so
 * a run takes a few rounds to route a burst of changes of one incident.
 */
const MAX_ROUNDS = 10;

/** Turns recorded incident changes into outbox rows: who hears of each, how and when. */
export class ChangeRouter {
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
  ) {}

  /** Routes the changes not routed yet; returns how many. */
  async routePending(): Promise<number> {
    const { notifications, delivery, clock } = this.options;
    let routed = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const changes = await notifications.claimChanges({
        now: clock().toISOString(),
        limit: delivery.batchSize,
        leaseMs: delivery.leaseMs,
      });
      if (changes.length === 0) break;
      for (const change of changes) {
        try {
          await this.route(change);
          routed++;
        } catch (error) {
          // Left claimed: it is tried again when the lease ends; the other changes go on.
          this.options.logger.error(
            `Routing change ${change.id} (${change.kind}) of incident ${change.incidentId} failed: ${error}`,
          );
        }
      }
    }
    return routed;
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
