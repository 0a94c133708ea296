import type { JsonObject, JsonValue } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { readCatalogRefreshSchedule } from '@aiops/plugin-aiops-node';
import { effectiveDurations, readCorrelationConfig } from './config';
import { readNotificationSettings } from './notify/config';

describe('readCorrelationConfig', () => {
  it('defaults the intervals', () => {
    const config = readCorrelationConfig(new ConfigReader({}));
    expect(config).toMatchObject({
      tickIntervalMs: 5_000,
      checkpointIntervalMs: 10_000,
      refreshIntervalMs: 2_000,
    });
  });

  it('reads the refresh interval as a duration, 0 included', () => {
    const read = (refreshInterval: JsonValue) =>
      readCorrelationConfig(
        new ConfigReader({ aiops: { correlation: { refreshInterval } } }),
      ).refreshIntervalMs;
    expect(read({ milliseconds: 500 })).toBe(500);
    expect(read('PT10S')).toBe(10_000);
    expect(read({ seconds: 0 })).toBe(0);
  });
});

describe('correlation durations', () => {
  it('fails naming the full key of a malformed or non-positive duration', () => {
    const read = (correlation: JsonValue) => () =>
      readCorrelationConfig(
        new ConfigReader({ aiops: { correlation } } as JsonObject),
      );
    expect(read({ topology: { window: 'fifteen minutes' } })).toThrow(
      /^aiops\.correlation\.topology\.window is not a duration/,
    );
    expect(read({ groupWindow: 30 })).toThrow(
      /^aiops\.correlation\.groupWindow is not a duration/,
    );
    expect(read({ tickInterval: 'PT0S' })).toThrow(
      'aiops.correlation.tickInterval must be a positive duration, got "PT0S"',
    );
  });

  it('takes a string in a later config file over the default file, not merged with it', () => {
    const config = readCorrelationConfig(
      ConfigReader.fromConfigs([
        {
          context: 'app-config.yaml',
          data: { aiops: { correlation: { groupWindow: { minutes: 5 } } } },
        },
        {
          context: 'app-config.local.yaml',
          data: { aiops: { correlation: { groupWindow: 'PT30S' } } },
        },
      ]),
    );
    expect(config.rules.groupWindowMs).toBe(30_000);
  });

  it('lists every effective duration by the key it is configured with', () => {
    const root = new ConfigReader({
      aiops: {
        correlation: { groupWindow: 'PT45M', flap: { window: 'PT1H' } },
        routing: {
          delivery: { lease: 'PT3M' },
          escalationPolicies: [
            {
              name: 'checkout',
              steps: [
                { after: 'PT30M', notify: ['parent'] },
                { after: 'PT10M', notify: ['parent'] },
              ],
            },
          ],
        },
        catalog: { refresh: { frequency: 'PT1M' } },
      },
    });
    const durations = effectiveDurations(
      readCorrelationConfig(root),
      readNotificationSettings(root),
      readCatalogRefreshSchedule(root),
    );
    expect(durations).toEqual({
      groupWindow: 2_700_000,
      groupWait: 0,
      minDuration: 0,
      'topology.window': 900_000,
      deployWindow: 3_600_000,
      quietPeriod: 300_000,
      'flap.window': 3_600_000,
      tickInterval: 5_000,
      checkpointInterval: 10_000,
      refreshInterval: 2_000,
      observedCallsWindow: 86_400_000,
      'routing.rateLimit.window': 600_000,
      'routing.routingRetryLimit': 3_600_000,
      'routing.delivery.interval': 5_000,
      'routing.delivery.initialBackoff': 10_000,
      'routing.delivery.maxBackoff': 1_800_000,
      'routing.delivery.lease': 180_000,
      'routing.escalationPolicies.checkout.after': [600_000, 1_800_000],
      'catalog.refresh.frequency': 60_000,
      'catalog.refresh.timeout': 120_000,
      'catalog.refresh.initialDelay': 300_000,
    });
  });
});
