import type { AiopsNotificationChannel } from '@aiops/plugin-aiops-node';
import { BUILT_IN_CHANNEL_KINDS } from '../service/routing/builtInRouting';
import { NotificationChannelRegistry } from './channelRegistry';

const channel = (kind: string): AiopsNotificationChannel => ({
  kind,
  send: async () => ({ outcome: 'delivered' }),
});

describe('NotificationChannelRegistry', () => {
  it("lists the plugin's channels first, then the modules', each in the order registered", () => {
    const registry = new NotificationChannelRegistry(BUILT_IN_CHANNEL_KINDS);
    // Modules register before the plugin starts.
    registry.add(channel('msteams'), channel('opsgenie'));
    registry.addBuiltIns(...BUILT_IN_CHANNEL_KINDS.map(channel));
    expect(registry.list().map(c => c.kind)).toEqual([
      'backstage',
      'slack',
      'webhook',
      'pagerduty',
      'msteams',
      'opsgenie',
    ]);
  });

  it.each(BUILT_IN_CHANNEL_KINDS)(
    'refuses a module channel of the built-in kind %s, before the plugin registered it',
    kind => {
      const registry = new NotificationChannelRegistry(BUILT_IN_CHANNEL_KINDS);
      expect(() => registry.add(channel(kind))).toThrow(
        `A notification channel of kind "${kind}" is already registered: it is one of aiops-correlation's own (backstage, slack, webhook, pagerduty); register yours under another kind`,
      );
      registry.addBuiltIns(...BUILT_IN_CHANNEL_KINDS.map(channel));
      expect(registry.list().filter(c => c.kind === kind)).toHaveLength(1);
    },
  );

  it('refuses two module channels of one kind, and kinds that are not one word', () => {
    const registry = new NotificationChannelRegistry(BUILT_IN_CHANNEL_KINDS);
    registry.add(channel('msteams'));
    expect(() => registry.add(channel('msteams'))).toThrow(
      'A notification channel of kind "msteams" is already registered',
    );
    expect(() => registry.add(channel(''))).toThrow(/one word/);
    expect(() => registry.add(channel('ms\nteams'))).toThrow(/one word/);
    expect(registry.list().map(c => c.kind)).toEqual(['msteams']);
  });

  it('takes as built-ins only the kinds it reserved, each once', () => {
    const registry = new NotificationChannelRegistry(BUILT_IN_CHANNEL_KINDS);
    expect(() => registry.addBuiltIns(channel('msteams'))).toThrow(
      /not one of the built-in notification channels/,
    );
    registry.addBuiltIns(channel('slack'));
    expect(() => registry.addBuiltIns(channel('slack'))).toThrow(
      /already registered/,
    );
  });
});
