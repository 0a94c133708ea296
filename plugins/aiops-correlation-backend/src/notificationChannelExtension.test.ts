import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import {
  aiopsNotificationChannelsExtensionPoint,
  type OutgoingDelivery,
} from '@aiops/plugin-aiops-node';
import {
  eventually,
  sendAlerts,
  startSuite,
  storm,
  type Suite,
} from './__testUtils__/startSuite';
import { BUILT_IN_CHANNEL_KINDS } from './service/routing/builtInRouting';

jest.setTimeout(60_000);

/** A Microsoft Teams channel as someone else's backend module would add it. */
function teamsModule(sent: OutgoingDelivery[], kind = 'msteams') {
  return createBackendModule({
    pluginId: 'aiops-correlation',
    moduleId: `test-${kind}`,
    register(env) {
      env.registerInit({
        deps: { channels: aiopsNotificationChannelsExtensionPoint },
        async init({ channels }) {
          channels.addChannel({
            kind,
            // Every group has a Teams channel named after it here; a real module would read an
            // annotation such as microsoft.com/teams-webhook.
            targetsFor: recipient => [`teams:${recipient.group}`],
            async send(delivery) {
              sent.push(delivery);
              return { outcome: 'delivered' };
            },
          });
        },
      });
    },
  });
}

/** Every plugin's logger; what correlation logs at info is kept. */
function recordingLogger(lines: string[]) {
  const logger = (record: boolean): LoggerService => {
    const self: LoggerService = {
      info: message => void (record && lines.push(message)),
      warn: () => {},
      error: () => {},
      debug: () => {},
      child: () => self,
    };
    return self;
  };
  return createServiceFactory({
    service: coreServices.logger,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => logger(plugin.getId() === 'aiops-correlation'),
  });
}

describe('notification channels added by a module', () => {
  let suite: Suite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  it('routes incident changes to a channel a module registered, without changing the plugin', async () => {
    const sent: OutgoingDelivery[] = [];
    suite = await startSuite({ extraFeatures: [teamsModule(sent)] });
    await sendAlerts(suite.server, storm());
    const [announcement] = await eventually('an incident', async () =>
      suite!.announced.length > 0 ? suite!.announced : undefined,
    );
    const incident = (announcement.eventPayload as any).incident;
    await suite.notify();
    expect(sent).toEqual([
      expect.objectContaining({
        channel: 'msteams',
        target: `teams:${incident.owner}`,
        attempt: 1,
        content: {
          type: 'incident',
          message: expect.objectContaining({
            incidentId: incident.id,
            change: 'opened',
          }),
        },
      }),
    ]);
    // Backstage notifications still reach the owners alongside.
    expect(suite.notified.length).toBeGreaterThan(0);
  });

  it('refuses a channel that takes the kind of a channel the suite brings', async () => {
    await expect(
      startSuite({ extraFeatures: [teamsModule([], 'slack')] }),
    ).rejects.toThrow(
      /notification channel of kind "slack" is already registered/,
    );
  });

  it("registers the plugin's own channels through the same list, before the modules'", async () => {
    const lines: string[] = [];
    suite = await startSuite({
      extraFeatures: [recordingLogger(lines), teamsModule([])],
    });
    expect(lines).toContain(
      'Notification channels: backstage, slack, webhook, pagerduty, msteams',
    );
  });

  it.each(BUILT_IN_CHANNEL_KINDS)(
    'refuses to start, naming the module, when it registers a channel of the built-in kind %s',
    async kind => {
      const started = startSuite({ extraFeatures: [teamsModule([], kind)] });
      await expect(started).rejects.toThrow(
        `Module 'test-${kind}' for plugin 'aiops-correlation' startup failed`,
      );
      await expect(started).rejects.toThrow(
        `A notification channel of kind "${kind}" is already registered: it is one of aiops-correlation's own (backstage, slack, webhook, pagerduty); register yours under another kind`,
      );
    },
  );
});
