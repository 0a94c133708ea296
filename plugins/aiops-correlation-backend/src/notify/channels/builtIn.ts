import type { AiopsNotificationChannel } from '@aiops/plugin-aiops-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  builtInRouting,
  type BuiltInChannelKind,
} from '../../service/routing/builtInRouting';
import type { NotificationSettings } from '../config';
import { BackstageNotificationsChannel } from './backstageNotifications';
import { PagerDutyChannel } from './pagerDuty';
import { SlackChannel } from './slack';
import type { ChannelSender, OutgoingDelivery } from './types';
import { WebhookChannel } from './webhook';

/**
 * The channels the plugin brings, as registrations like any a module adds: each built-in's
 * routing (`builtInRouting`: where a recipient is told, from `aiops.routing` and the catalog)
 * with its sender (secrets and endpoints from `aiops.routing`).
 */
export function builtInChannels(options: {
  settings: NotificationSettings;
  backstageNotifications: NotificationService;
}): AiopsNotificationChannel[] {
  const { routing, channels } = options.settings;
  const { allowPrivateTargets } = channels;
  const senders: Record<BuiltInChannelKind, ChannelSender> = {
    backstage: new BackstageNotificationsChannel({
      notifications: options.backstageNotifications,
    }),
    slack: new SlackChannel({ ...channels.slack, allowPrivateTargets }),
    webhook: new WebhookChannel({
      webhooks: channels.webhooks,
      allowPrivateTargets,
    }),
    pagerduty: new PagerDutyChannel({
      ...channels.pagerDuty,
      allowPrivateTargets,
    }),
  };
  return builtInRouting(routing).map(channel => {
    const sender = senders[channel.kind];
    // Every outbox row holds a message routing built: what the senders render.
    const send = (delivery: OutgoingDelivery) => sender.send(delivery);
    return { ...channel, send };
  });
}
