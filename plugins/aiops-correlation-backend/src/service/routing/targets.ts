import type { ChannelKind } from './types';

/**
 * A delivery target as people may read it: PagerDuty routing keys are credentials, so only their
 * first characters are shown.
 */
export function describeTarget(channel: ChannelKind, target: string): string {
  switch (channel) {
    case 'backstage':
      return `Backstage notifications to ${target}`;
    case 'slack':
      return target === 'webhook'
        ? 'Slack (incoming webhook)'
        : `Slack ${target}`;
    case 'pagerduty':
      return `PagerDuty (key ${maskKey(target)})`;
    default:
      return `webhook "${target}"`;
  }
}

export function maskKey(key: string): string {
  const trimmed = key.trim();
  return trimmed.length <= 8 ? '****' : `${trimmed.slice(0, 4)}…`;
}
