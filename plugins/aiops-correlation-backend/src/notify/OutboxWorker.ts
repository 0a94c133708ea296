import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  NotificationStore,
  StoredDelivery,
} from '../database/NotificationStore';
import { retryDelayMs } from '../service/routing/backoff';
import type { ChannelKind } from '../service/routing/types';
import type {
  NotificationChannel,
  OutgoingDelivery,
  SendResult,
} from './channels/types';
import type { DeliveryConfig } from './config';

/**
 * Sends due outbox rows through their channels: delivered rows are done, failures retry with
 * exponential backoff (never sooner than a 429's `Retry-After`), and rows that fail for good or
 * too often become dead letters.
 */
export class OutboxWorker {
  private readonly channels: Map<ChannelKind, NotificationChannel>;

  constructor(
    private readonly options: {
      notifications: NotificationStore;
      channels: NotificationChannel[];
      delivery: DeliveryConfig;
      /** The rate limit's window: a digest covers the one that ends at its `changeAt`. */
      digestWindowMs: number;
      logger: LoggerService;
      random?: () => number;
    },
  ) {
    this.channels = new Map(options.channels.map(c => [c.kind, c]));
  }

  /** Sends what is due at `now`; returns how many rows it handled. */
  async deliverDue(now: Date): Promise<number> {
    const { notifications, delivery } = this.options;
    const due = await notifications.claimDeliveries({
      now: now.toISOString(),
      limit: delivery.batchSize,
      leaseMs: delivery.leaseMs,
    });
    await Promise.all(due.map(row => this.deliver(row, now)));
    return due.length;
  }

  private async deliver(row: StoredDelivery, now: Date) {
    const { notifications, delivery, logger } = this.options;
    const result = await this.send(row);
    const at = now.toISOString();
    const attempt = row.attempts + 1;
    if (result.outcome === 'delivered') {
      await notifications.markDelivered(row, at);
      return;
    }
    if (result.outcome === 'retry' && attempt < delivery.maxAttempts) {
      const wait = retryDelayMs(attempt, delivery.backoff, {
        retryAfterMs: result.retryAfterMs,
        random: this.options.random,
      });
      await notifications.markRetry(row, {
        error: result.error,
        nextAttemptAt: new Date(now.getTime() + wait).toISOString(),
      });
      return;
    }
    logger.warn(
      `Notification ${row.id} via ${row.channel} dead-lettered after ${attempt} attempt(s): ${result.error}`,
    );
    await notifications.markDead(row, { error: result.error, at });
  }

  private async send(row: StoredDelivery): Promise<SendResult> {
    const channel = this.channels.get(row.channel);
    if (!channel) {
      return {
        outcome: 'failed',
        error: `The ${row.channel} channel is not set up on this instance`,
      };
    }
    const outgoing: OutgoingDelivery = {
      id: row.id,
      channel: row.channel,
      target: row.target,
      attempt: row.attempts + 1,
      content:
        row.kind === 'digest'
          ? {
              type: 'digest',
              digest: {
                group: row.group,
                from: new Date(
                  Date.parse(row.changeAt) - this.options.digestWindowMs,
                ).toISOString(),
                to: row.changeAt,
                messages: await this.options.notifications.digestMessages(
                  row.id,
                ),
              },
            }
          : { type: 'incident', message: row.message! },
    };
    try {
      return await channel.send(outgoing);
    } catch (error) {
      // Channels report failures as results; a throw is a bug, retried like a failure.
      return { outcome: 'retry', error: String(error) };
    }
  }
}
