import type { AiopsNotificationChannel } from '@aiops/plugin-aiops-node';

/**
 * The notification channels of one plugin instance, by kind: the plugin's own (registered at its
 * start) and those modules add through `aiopsNotificationChannelsExtensionPoint` (registered
 * before). The built-ins' kinds are reserved from the outset, so a module that takes one fails
 * at its own start, named by the backend, instead of replacing a built-in unnoticed.
 */
export class NotificationChannelRegistry {
  private readonly builtIns: AiopsNotificationChannel[] = [];
  private readonly added: AiopsNotificationChannel[] = [];

  constructor(private readonly builtInKinds: readonly string[]) {}

  /** A module's channels: the extension point's `addChannel`. */
  add(...channels: AiopsNotificationChannel[]): void {
    for (const channel of channels) {
      if (this.builtInKinds.includes(channel.kind)) {
        throw new Error(
          `A notification channel of kind "${
            channel.kind
          }" is already registered: it is one of aiops-correlation's own (${this.builtInKinds.join(
            ', ',
          )}); register yours under another kind`,
        );
      }
      this.register(this.added, channel);
    }
  }

  /** The plugin's own channels, each under one of the reserved kinds. */
  addBuiltIns(...channels: AiopsNotificationChannel[]): void {
    for (const channel of channels) {
      if (!this.builtInKinds.includes(channel.kind)) {
        throw new Error(
          `"${
            channel.kind
          }" is not one of the built-in notification channels (${this.builtInKinds.join(
            ', ',
          )})`,
        );
      }
      this.register(this.builtIns, channel);
    }
  }

  /** Every channel: the built-ins first, then the modules', each in the order registered. */
  list(): AiopsNotificationChannel[] {
    return [...this.builtIns, ...this.added];
  }

  private register(
    list: AiopsNotificationChannel[],
    channel: AiopsNotificationChannel,
  ) {
    // Outbox rows key their targets as `kind\ntarget`; a kind is one word.
    if (!/^\S+$/.test(channel.kind ?? '')) {
      throw new Error(
        `A notification channel's kind must be one word without spaces, got ${JSON.stringify(
          channel.kind,
        )}`,
      );
    }
    if (this.list().some(c => c.kind === channel.kind)) {
      throw new Error(
        `A notification channel of kind "${channel.kind}" is already registered`,
      );
    }
    list.push(channel);
  }
}
