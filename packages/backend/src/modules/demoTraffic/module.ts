import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  entityResolverServiceRef,
  formatIsoDuration,
  readDurationMs,
} from '@aiops/plugin-aiops-node';
import { HistorySeeder } from './historySeeder';
import { DemoTrafficSender } from './sender';
import { TIMELINE } from './storyline';

export interface DemoTrafficConfig {
  enabled: boolean;
  /** How often a tick is sent. */
  intervalMs: number;
  /** Before the first tick, so the catalog has loaded the demo entities. */
  initialDelayMs: number;
  seed: number;
  /** Shoppers' requests per minute at normal load. */
  requestsPerMinute: number;
  /** Play the incident history (history.ts) once, before the storyline's first incident. */
  history: boolean;
}

/** `aiops.demo`: off unless `enabled: true`. A malformed duration throws naming its key. */
export function readDemoTrafficConfig(root: Config): DemoTrafficConfig {
  const config = root.getOptionalConfig('aiops.demo');
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? false,
    intervalMs: readDurationMs(
      root,
      'aiops.demo.interval',
      { seconds: 30 },
      { positive: true },
    ),
    initialDelayMs: readDurationMs(root, 'aiops.demo.initialDelay', {
      seconds: 20,
    }),
    seed: config?.getOptionalNumber('seed') ?? 20_251_124,
    requestsPerMinute: config?.getOptionalNumber('requestsPerMinute') ?? 40,
    history: config?.getOptionalBoolean('history') ?? true,
  };
}

export const DEMO_TRAFFIC_TASK_ID = 'aiops-demo-traffic';

/**
 * Sends synthetic telemetry for the demo catalog (examples/entities.yaml) through the ingest
 * HTTP API: Online Boutique and Payments Platform traces, metrics and logs, deployments and
 * alerts on a repeating incident storyline (see storyline.ts and docs/operations.md), after
 * playing once a history of resolved incidents with their resolutions (history.ts).
 * Development only: enable with `aiops.demo.enabled: true`.
 */
export const demoTrafficModule = createBackendModule({
  pluginId: 'aiops-ingest',
  moduleId: 'demo-traffic',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        // Ingest's own: the history waits until it keys the demo catalog.
        resolver: entityResolverServiceRef,
      },
      async init({ config, logger, scheduler, discovery, auth, resolver }) {
        const demo = readDemoTrafficConfig(config);
        if (!demo.enabled) return;
        if (process.env.NODE_ENV === 'production') {
          // app-config.production.yaml is layered over app-config.yaml, which enables the demo.
          logger.warn(
            'Demo traffic is enabled in the config but NODE_ENV is production: not sending any. Set aiops.demo.enabled: false.',
          );
          return;
        }
        const { intervalMs } = demo;
        const origin = Date.now();
        const seeder = demo.history
          ? new HistorySeeder({ discovery, auth, logger, resolver })
          : undefined;
        // Past incidents are played before the storyline's first alerts (3 min into cycle 0):
        // one still open then would take them in. What is left waits for the next start.
        const historyUntil = origin + TIMELINE.redisRampStart;
        const sender = new DemoTrafficSender({
          discovery,
          auth,
          logger,
          seed: demo.seed,
          // The storyline starts now: the first tick (after the initial delay) sees the
          // cart deployment, and the incident follows two minutes later.
          origin,
          intervalMs,
          requestsPerMinute: demo.requestsPerMinute,
        });
        await scheduler.scheduleTask({
          id: DEMO_TRAFFIC_TASK_ID,
          scope: 'local',
          frequency: { milliseconds: intervalMs },
          // The first run plays the history too: a few requests and waits per past incident.
          timeout: { milliseconds: Math.max(3 * 60_000, 2 * intervalMs) },
          initialDelay: { milliseconds: demo.initialDelayMs },
          fn: async () => {
            if (seeder && !seeder.seeded && Date.now() < historyUntil) {
              await seeder.seed(historyUntil);
            }
            await sender.sendTick(new Date());
          },
        });
        logger.warn(
          `Demo traffic is enabled (aiops.demo.enabled): synthetic alerts, deployments and telemetry for the demo catalog are sent to aiops-ingest every ${formatIsoDuration(
            intervalMs,
          )}, first after ${formatIsoDuration(
            demo.initialDelayMs,
          )}. Do not enable this in production.`,
        );
      },
    });
  },
});
