import type {
  OutgoingDelivery as ChannelDelivery,
  SendResult,
} from '@aiops/plugin-aiops-node';
import type { BuiltInChannelKind } from '../../service/routing/builtInRouting';
import type {
  DigestMessage,
  IncidentMessage,
} from '../../service/routing/types';

/**
 * What one outbox row asks a channel to send: aiops-node's `OutgoingDelivery`, with the messages
 * correlation's routing builds (every outbox row holds one).
 */
export interface OutgoingDelivery extends ChannelDelivery {
  content:
    | { type: 'incident'; message: IncidentMessage }
    | { type: 'digest'; digest: DigestMessage };
}

export type { SendResult };

/**
 * The sending half of a built-in channel; `builtInChannels` registers it with its routing half
 * as an `AiopsNotificationChannel`, like a module's. Never throws: every failure is a
 * `SendResult`.
 */
export interface ChannelSender {
  kind: BuiltInChannelKind;
  send(delivery: OutgoingDelivery): Promise<SendResult>;
}
