import type { AiopsNotificationChannel } from '@aiops/plugin-aiops-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { IncidentStore } from '../database/IncidentStore';
import type { NotificationStore } from '../database/NotificationStore';
import { checkRoutingConfig } from '../service/routing/check';
import type { RoutingCatalog } from '../service/routing/route';
import { builtInChannels } from './channels/builtIn';
import { ChangeRouter } from './ChangeRouter';
import type { NotificationSettings } from './config';
import { EscalationWatcher } from './EscalationWatcher';
import { OutboxWorker } from './OutboxWorker';
import { RoutingProblems } from './RoutingProblems';

/**
 * Routing, escalation and delivery of incident changes, in the order one run does them:
 * escalation steps that fell due become changes, changes become outbox rows, due rows are sent.
 */
export class Notifier {
  readonly problems: RoutingProblems;
  private readonly clock: () => Date;
  private readonly escalations: EscalationWatcher;
  private readonly router: ChangeRouter;
  private readonly worker: OutboxWorker;

  constructor(
    private readonly options: {
      settings: NotificationSettings;
      incidents: IncidentStore;
      notifications: NotificationStore;
      /** The catalog, current for the given entities (`EntityResolver.snapshot`). */
      catalog: (entityRefs?: string[]) => Promise<RoutingCatalog>;
      logger: LoggerService;
      /** The time; each stage of a run reads it afresh. */
      clock?: () => Date;
      random?: () => number;
    } & (
      | {
          /** Every registered channel, the plugin's own first (`NotificationChannelRegistry`). */
          channels: AiopsNotificationChannel[];
        }
      | {
          /** Without `channels`: the built-ins only, sending Backstage notifications here. */
          backstageNotifications: NotificationService;
        }
    ),
  ) {
    const { settings, notifications, catalog, logger } = options;
    this.clock = options.clock ?? (() => new Date());
    this.problems = new RoutingProblems(logger);
    this.problems.report(settings.problems, new Date().toISOString());
    const channels =
      'channels' in options ? options.channels : builtInChannels(options);
    const shared = {
      notifications,
      catalog,
      config: settings.routing,
      problems: this.problems,
      clock: this.clock,
      logger,
    };
    this.escalations = new EscalationWatcher(shared);
    this.router = new ChangeRouter({
      ...shared,
      incidents: options.incidents,
      delivery: settings.delivery,
      channels,
    });
    this.worker = new OutboxWorker({
      notifications,
      incidents: options.incidents,
      channels,
      delivery: settings.delivery,
      logger,
      clock: this.clock,
      random: options.random,
    });
  }

  /** One run; each stage's failure is logged and leaves the others to run. */
  async run(): Promise<void> {
    for (const [stage, work] of [
      ['configuration check', () => this.checkConfig()],
      ['escalation', () => this.escalations.check()],
      ['routing', () => this.router.routePending()],
      ['delivery', () => this.worker.deliverDue()],
    ] as const) {
      try {
        await work();
      } catch (error) {
        this.options.logger.error(`Notification ${stage} failed: ${error}`);
      }
    }
  }

  /**
   * `aiops.incident.changed` said the change feed holds changes up to `cursor`: routes them now
   * rather than on the next run (a no-op when routing is there already). Failures are logged;
   * the next run routes what is left.
   */
  async changeAnnounced(cursor: string): Promise<void> {
    try {
      await this.router.routeUpTo(cursor);
    } catch (error) {
      this.options.logger.error(`Notification routing failed: ${error}`);
    }
  }

  /** Lets the routing in progress finish; later runs route nothing. */
  stop(): Promise<void> {
    return this.router.stop();
  }

  /**
   * Configured groups and escalation targets the catalog does not know, checked on every run:
   * the catalog changes, and right after a start it may not be loaded yet (then there is
   * nothing to check against).
   */
  private async checkConfig() {
    const catalog = await this.options.catalog();
    if (catalog.size === 0) return;
    this.problems.track(
      'catalog',
      checkRoutingConfig(this.options.settings.routing, catalog),
      this.clock().toISOString(),
    );
  }
}
