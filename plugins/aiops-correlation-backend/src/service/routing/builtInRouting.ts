import type {
  NotificationRecipient,
  NotificationRoutingProblem,
} from '@aiops/plugin-aiops-node';
import { ANNOTATIONS } from './annotations';
import { maskKey } from './targets';
import type { ChannelRouting, RoutingConfig } from './types';

/**
 * The channels the plugin registers itself, in the order it registers them (before any a
 * module adds); a module cannot take their kinds.
 */
export const BUILT_IN_CHANNEL_KINDS = [
  'backstage',
  'slack',
  'webhook',
  'pagerduty',
] as const;

export type BuiltInChannelKind = (typeof BUILT_IN_CHANNEL_KINDS)[number];

/** PagerDuty Events v2 integration (routing) keys are 32 characters. */
const PAGERDUTY_KEY = /^[a-z0-9]{32}$/i;

type Report = (problem: NotificationRoutingProblem) => void;

/**
 * How the built-in channels say where a recipient is told, from `aiops.routing` and the
 * catalog's annotations: the routing half of their registrations (`builtInChannels` adds
 * sending). Each is asked only for the changes its style hears of.
 */
export function builtInRouting(
  config: RoutingConfig,
): Array<ChannelRouting & { kind: BuiltInChannelKind }> {
  return [
    {
      kind: 'backstage',
      style: 'inbox',
      // The notifications backend sends a group's notification to its members.
      targetsFor: recipient => [recipient.user ?? recipient.group],
    },
    {
      kind: 'slack',
      style: 'chat',
      targetsFor: (recipient, report = ignore) =>
        slackTargets(recipient, config, report),
    },
    {
      kind: 'webhook',
      style: 'chat',
      targetsFor: ({ group }, report = ignore) =>
        (config.groups[group]?.webhooks ?? []).filter(name => {
          if (config.webhooks.includes(name)) return true;
          report({
            key: `webhook:${name}`,
            message: `Webhook "${name}" of ${group} is not configured (or its URL is invalid) under aiops.routing.webhooks`,
          });
          return false;
        }),
    },
    {
      kind: 'pagerduty',
      style: 'paging',
      targetsFor: (recipient, report = ignore) =>
        pagerDutyTargets(recipient, config, report),
    },
  ];
}

/**
 * The service's channel, else the group's from config, else the group's annotation (a
 * comma-separated list posts to each). Without a bot token, every channel is the incoming
 * webhook's own.
 */
function slackTargets(
  { group, groupAnnotations, serviceAnnotations }: NotificationRecipient,
  config: RoutingConfig,
  report: Report,
): string[] {
  const channels =
    serviceAnnotations[ANNOTATIONS.slackChannel] ??
    serviceAnnotations[ANNOTATIONS.slackBotNotify] ??
    config.groups[group]?.slackChannel ??
    groupAnnotations[ANNOTATIONS.slackBotNotify];
  return splitList(channels).flatMap(channel => {
    if (config.slack.botToken) return [channel];
    if (config.slack.webhook) return ['webhook'];
    report({
      key: 'slack-transport',
      message: `Slack channel ${channel} is configured for ${group}, but aiops.routing.slack has neither botToken nor webhookUrl`,
    });
    return [];
  });
}

/** The service's key, else the group's from config, else the group's annotation. */
function pagerDutyTargets(
  { group, groupAnnotations, serviceAnnotations }: NotificationRecipient,
  config: RoutingConfig,
  report: Report,
): string[] {
  const key =
    serviceAnnotations[ANNOTATIONS.pagerDutyKey] ??
    config.groups[group]?.pagerDutyIntegrationKey ??
    groupAnnotations[ANNOTATIONS.pagerDutyKey];
  if (key === undefined) return [];
  if (isPagerDutyKey(key)) return [key.trim()];
  report({
    key: `pagerduty-key:${group}`,
    message: `The PagerDuty integration key for ${group} (${maskKey(
      key,
    )}) is not a 32-character Events v2 key`,
  });
  return [];
}

export function isPagerDutyKey(key: string): boolean {
  return PAGERDUTY_KEY.test(key.trim());
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
}

function ignore() {}
