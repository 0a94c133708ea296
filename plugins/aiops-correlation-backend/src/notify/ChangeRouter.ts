import type { IncidentStore } from '../database/IncidentStore';
import type { NotificationStore } from '../database/NotificationStore';
import { routeChange, type RoutingCatalog } from '../service/routing/route';
import type { RoutingConfig } from '../service/routing/types';
import type { DeliveryConfig } from './config';
import type { RoutingProblems } from './RoutingProblems';

/** Turns recorded incident changes into outbox rows: who hears of each, how and when. */
export class ChangeRouter {
  constructor(
    private readonly options: {
      incidents: IncidentStore;
      notifications: NotificationStore;
      catalog: () => Promise<RoutingCatalog>;
      config: RoutingConfig;
      delivery: DeliveryConfig;
      problems: RoutingProblems;
    },
  ) {}

  /** Routes the changes not routed yet; returns how many. */
  async routePending(now: Date): Promise<number> {
    const { incidents, notifications, config, delivery } = this.options;
    const at = now.toISOString();
    const changes = await notifications.claimChanges({
      now: at,
      limit: delivery.batchSize,
      leaseMs: delivery.leaseMs,
    });
    if (changes.length === 0) return 0;
    const catalog = await this.options.catalog();
    for (const change of changes) {
      const details = await incidents.getIncident(change.incidentId);
      const route = details
        ? routeChange({
            change,
            incident: details.incident,
            catalog,
            config,
            nowMs: now.getTime(),
            alreadySent: await notifications.sentTargets(change.incidentId),
          })
        : { deliveries: [], problems: [] };
      this.options.problems.report(route.problems, at);
      await notifications.recordRoute(change, route.deliveries, {
        now: at,
        rateLimit: config.rateLimit,
      });
    }
    return changes.length;
  }
}
