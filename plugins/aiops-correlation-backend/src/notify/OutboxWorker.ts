import type { AiopsNotificationChannel } from '@aiops/plugin-aiops-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentStore } from '../database/IncidentStore';
import type {
  DigestContent,
  NotificationStore,
  StoredDelivery,
} from '../database/NotificationStore';
import { retryDelayMs } from '../service/routing/backoff';
import type { ChannelKind } from '../service/routing/types';
import type { OutgoingDelivery, SendResult } from './channels/types';
import type { DeliveryConfig } from './config';

/** Longer than any channel's own HTTP timeout (10 s), far shorter than the shortest lease. */
export const SEND_TIMEOUT_MS = 30_000;

/**
 * Sends due outbox rows through their channels: delivered rows are done, failures retry with
 * exponential backoff (never sooner than a 429's `Retry-After`), and rows that fail for good or
 * too often become dead letters.
 */
export class OutboxWorker {
  private readonly channels: Map<ChannelKind, AiopsNotificationChannel>;

  constructor(
    private readonly options: {
      notifications: NotificationStore;
      /** Where the incidents stand, so escalations acknowledged meanwhile stay unsent. */
      incidents: Pick<IncidentStore, 'statuses'>;
      /** Every registered channel, the plugin's own and those modules added. */
      channels: AiopsNotificationChannel[];
      delivery: DeliveryConfig;
      logger: LoggerService;
      clock: () => Date;
      random?: () => number;
    },
  ) {
    this.channels = new Map(options.channels.map(c => [c.kind, c]));
  }

  /** Sends what is due now; returns how many rows it handled. */
  async deliverDue(): Promise<number> {
    const { notifications, delivery, clock } = this.options;
    const due = await notifications.claimDeliveries({
      now: clock().toISOString(),
      limit: delivery.batchSize,
      leaseMs: delivery.leaseMs,
    });
    await Promise.all(due.map(row => this.deliver(row)));
    return due.length;
  }

  private async deliver(row: StoredDelivery) {
    const { notifications, delivery, logger, clock } = this.options;
    if (await this.acknowledgedSinceEscalation(row)) {
      await notifications.markCancelled(row, {
        reason: 'the incident was acknowledged before this escalation went out',
        at: clock().toISOString(),
      });
      return;
    }
    const digest =
      row.kind === 'digest'
        ? await notifications.digestContent(row.id)
        : undefined;
    const result = await this.send(row, digest);
    // Times from after the send: a Retry-After counts from the answer, not from the claim.
    const now = clock();
    const at = now.toISOString();
    const attempt = row.attempts + 1;
    const covered = digest?.messageIds;
    if (result.outcome === 'delivered') {
      await notifications.markDelivered(row, { at, covered });
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
    await notifications.markDead(row, { error: result.error, at, covered });
  }

  /** An escalation waiting (quiet hours, retries) whose incident someone acknowledged since. */
  private async acknowledgedSinceEscalation(row: StoredDelivery) {
    if (row.message?.change !== 'escalated' || !row.incidentId) return false;
    const statuses = await this.options.incidents.statuses([row.incidentId]);
    const status = statuses[row.incidentId]?.status;
    return status !== undefined && status !== 'open';
  }

  private async send(
    row: StoredDelivery,
    digest: DigestContent | undefined,
  ): Promise<SendResult> {
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
      content: digest
        ? {
            type: 'digest',
            digest: {
              group: row.group,
              from: digest.from ?? row.createdAt,
              to: row.changeAt,
              messages: digest.messages,
            },
          }
        : { type: 'incident', message: row.message! },
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      // The claim must outlast the send: a channel that hangs (Backstage's notification service
      // has no timeout of its own) is given up on well within the lease.
      return await Promise.race([
        channel.send(outgoing),
        new Promise<SendResult>(resolve => {
          timer = setTimeout(
            () => resolve({ outcome: 'retry', error: 'no answer in time' }),
            SEND_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      // Channels report failures as results; a throw is a bug, retried like a failure.
      return { outcome: 'retry', error: String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
