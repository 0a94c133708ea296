import type {
  OutgoingDelivery as AddedChannelDelivery,
  SendResult,
} from '@aiops/plugin-aiops-node';
import type {
  ChannelKind,
  DigestMessage,
  IncidentMessage,
} from '../../service/routing/types';

/**
 * What one outbox row asks a channel to send: aiops-node's `OutgoingDelivery` (what channels
 * added by modules get), with the messages routing builds.
 */
export interface OutgoingDelivery extends AddedChannelDelivery {
  channel: ChannelKind;
  content:
    | { type: 'incident'; message: IncidentMessage }
    | { type: 'digest'; digest: DigestMessage };
}

export type { SendResult };

/** Sends outbox rows of one kind. Never throws: every failure is a `SendResult`. */
export interface NotificationChannel {
  kind: ChannelKind;
  send(delivery: OutgoingDelivery): Promise<SendResult>;
}
