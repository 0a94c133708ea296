import type {
  ChannelKind,
  DigestMessage,
  IncidentMessage,
} from '../../service/routing/types';

/** What one outbox row asks a channel to send. */
export interface OutgoingDelivery {
  /** The outbox row id: stable across retries, so receivers can drop duplicates. */
  id: string;
  channel: ChannelKind;
  /** See `PlannedDelivery.target`. */
  target: string;
  content:
    | { type: 'incident'; message: IncidentMessage }
    | { type: 'digest'; digest: DigestMessage };
  /** 1 for the first try. */
  attempt: number;
}

export type SendResult =
  | { outcome: 'delivered' }
  /** Worth trying again later; `retryAfterMs` is the receiver's own wish (429 `Retry-After`). */
  | { outcome: 'retry'; error: string; retryAfterMs?: number }
  /** Will never work as it is (bad request, unknown channel, revoked key): dead-letter now. */
  | { outcome: 'failed'; error: string };

/** Sends outbox rows of one kind. Never throws: every failure is a `SendResult`. */
export interface NotificationChannel {
  kind: ChannelKind;
  send(delivery: OutgoingDelivery): Promise<SendResult>;
}
