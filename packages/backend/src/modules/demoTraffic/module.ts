import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { DemoTrafficSender } from './sender';

/** `@backstage/types`' HumanDuration, as the config reader returns it. */
type HumanDuration = ReturnType<typeof readDurationFromConfig>;

const MILLISECONDS: Record<keyof HumanDuration, number> = {
  years: 365.25 * 86_400_000,
  months: (365.25 / 12) * 86_400_000,
  weeks: 7 * 86_400_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

export function durationToMilliseconds(duration: HumanDuration): number {
  return Object.entries(duration).reduce(
    (sum, [unit, value]) =>
      sum + (value ?? 0) * MILLISECONDS[unit as keyof HumanDuration],
    0,
  );
}

export interface DemoTrafficConfig {
  enabled: boolean;
  /** How often a tick is sent. */
  interval: HumanDuration;
  /** Before the first tick, so the catalog has loaded the demo entities. */
  initialDelay: HumanDuration;
  seed: number;
  /** Shoppers' requests per minute at normal load. */
  requestsPerMinute: number;
}

/** `aiops.demo`: off unless `enabled: true`. */
export function readDemoTrafficConfig(root: Config): DemoTrafficConfig {
  const config = root.getOptionalConfig('aiops.demo');
  const duration = (key: string, fallback: HumanDuration) =>
    config?.has(key) ? readDurationFromConfig(config, { key }) : fallback;
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? false,
    interval: duration('interval', { seconds: 30 }),
    initialDelay: duration('initialDelay', { seconds: 20 }),
    seed: config?.getOptionalNumber('seed') ?? 20_251_124,
    requestsPerMinute: config?.getOptionalNumber('requestsPerMinute') ?? 40,
  };
}

export const DEMO_TRAFFIC_TASK_ID = 'aiops-demo-traffic';

/**
 * Sends synthetic telemetry for the demo catalog (examples/entities.yaml) through the ingest
 * HTTP API: Online Boutique and Payments Platform traces, metrics and logs, deployments and
 * alerts on a repeating incident storyline (see storyline.ts and docs/operations.md).
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
      },
      async init({ config, logger, scheduler, discovery, auth }) {
        const demo = readDemoTrafficConfig(config);
        if (!demo.enabled) return;
        if (process.env.NODE_ENV === 'production') {
          // app-config.production.yaml is layered over app-config.yaml, which enables the demo.
          logger.warn(
            'Demo traffic is enabled in the config but NODE_ENV is production: not sending any. Set aiops.demo.enabled: false.',
          );
          return;
        }
        const intervalMs = durationToMilliseconds(demo.interval);
        const sender = new DemoTrafficSender({
          discovery,
          auth,
          logger,
          seed: demo.seed,
          // The storyline starts now: the first tick (after the initial delay) sees the
          // cart deployment, and the incident follows two minutes later.
          origin: Date.now(),
          intervalMs,
          requestsPerMinute: demo.requestsPerMinute,
        });
        await scheduler.scheduleTask({
          id: DEMO_TRAFFIC_TASK_ID,
          scope: 'local',
          frequency: demo.interval,
          timeout: { milliseconds: Math.max(60_000, 2 * intervalMs) },
          initialDelay: demo.initialDelay,
          fn: async () => {
            await sender.sendTick(new Date());
          },
        });
        logger.warn(
          `Demo traffic is enabled (aiops.demo.enabled): synthetic alerts, deployments and telemetry for the demo catalog are sent to aiops-ingest every ${
            intervalMs / 1000
          }s. Do not enable this in production.`,
        );
      },
    });
  },
});
