import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject, JsonValue } from '@backstage/types';
import {
  durationSettings,
  formatIsoDuration,
  logEffectiveDurations,
  readDurationMs,
} from './config';
import { readCatalogRefreshSchedule } from './keying/entityResolverServiceRef';

/** Config files layered as Backstage layers them: later files over earlier ones. */
const layered = (...files: JsonObject[]) =>
  ConfigReader.fromConfigs(
    files.map((data, i) => ({ data, context: `app-config.${i}.yaml` })),
  );

const frequency = (value: JsonValue): JsonObject => ({
  aiops: { catalog: { refresh: { frequency: value } } },
});

describe('readDurationMs', () => {
  const read = (value: JsonValue, fallback = { minutes: 1 }) =>
    readDurationMs(
      new ConfigReader({ aiops: { x: { setting: value } } }),
      'aiops.x.setting',
      fallback,
    );

  it('reads ISO 8601 strings', () => {
    expect(read('PT30S')).toBe(30_000);
    expect(read('PT5M')).toBe(300_000);
    expect(read('PT1H30M')).toBe(5_400_000);
    expect(read('P14D')).toBe(14 * 86_400_000);
    expect(read('PT1.5S')).toBe(1_500);
    expect(read('PT0S')).toBe(0);
  });

  it('still reads objects, and the fallback when the key is absent', () => {
    expect(read({ minutes: 5, seconds: 30 })).toBe(330_000);
    expect(
      readDurationMs(new ConfigReader({}), 'aiops.x.setting', { hours: 2 }),
    ).toBe(7_200_000);
    expect(readDurationMs(undefined, 'setting', { seconds: 3 })).toBe(3_000);
  });

  it('lets a string in a later config file replace the value below it, where objects merge', () => {
    const app = frequency('PT5M');
    const local = frequency('PT30S');
    expect(
      readDurationMs(layered(app, local), 'aiops.catalog.refresh.frequency', {
        hours: 1,
      }),
    ).toBe(30_000);
    // The pitfall strings avoid: Backstage merges objects key by key, 5 min + 30 s.
    expect(
      readDurationMs(
        layered(frequency({ minutes: 5 }), frequency({ seconds: 30 })),
        'aiops.catalog.refresh.frequency',
        { hours: 1 },
      ),
    ).toBe(330_000);
    // A string over an object default replaces it too.
    expect(
      readDurationMs(
        layered(frequency({ minutes: 5 }), local),
        'aiops.catalog.refresh.frequency',
        { hours: 1 },
      ),
    ).toBe(30_000);
  });

  it('fails naming the full key for a value that is not a duration', () => {
    for (const bad of ['soon', 'PT5', '30', 30, { minutes: 'five' }, [1]]) {
      expect(() => read(bad)).toThrow(
        /^aiops\.x\.setting is not a duration; write it as an ISO 8601 duration such as 'PT30S'/,
      );
    }
    expect(() => read({ minuets: 5 })).toThrow(/aiops\.x\.setting/);
  });

  it('refuses negative durations, and zero where it must be positive', () => {
    expect(() => read('PT-5S')).toThrow(
      'aiops.x.setting must be a non-negative duration, got "PT-5S"',
    );
    expect(() => read({ seconds: -1 })).toThrow(/aiops\.x\.setting/);
    const positive = (value: string) =>
      readDurationMs(
        new ConfigReader({ tick: value }),
        'tick',
        { seconds: 5 },
        { positive: true },
      );
    expect(() => positive('PT0S')).toThrow(
      'tick must be a positive duration, got "PT0S"',
    );
    expect(positive('PT1S')).toBe(1_000);
  });
});

describe('formatIsoDuration', () => {
  it('writes days, hours, minutes and seconds', () => {
    expect(formatIsoDuration(0)).toBe('PT0S');
    expect(formatIsoDuration(500)).toBe('PT0.5S');
    expect(formatIsoDuration(30_000)).toBe('PT30S');
    expect(formatIsoDuration(30 * 60_000)).toBe('PT30M');
    expect(formatIsoDuration(90 * 60_000 + 5_000)).toBe('PT1H30M5S');
    expect(formatIsoDuration(86_400_000)).toBe('P1D');
    expect(formatIsoDuration(365 * 86_400_000)).toBe('P365D');
    expect(formatIsoDuration(86_400_000 + 3_600_000)).toBe('P1DT1H');
  });

  it('writes what readDurationMs reads back', () => {
    for (const ms of [0, 1, 999, 1_500, 61_000, 3_723_004, 14 * 86_400_000]) {
      const text = formatIsoDuration(ms);
      expect(
        readDurationMs(new ConfigReader({ d: text }), 'd', { seconds: 1 }),
      ).toBe(ms);
    }
  });
});

describe('durationSettings', () => {
  it('names each …Ms setting by the key it was read from', () => {
    expect(
      durationSettings({
        groupWindowMs: 1_800_000,
        minAlerts: 1,
        topology: { windowMs: 900_000, maxHops: 3 },
        groupBy: ['entity'],
      }),
    ).toEqual({ groupWindow: 1_800_000, 'topology.window': 900_000 });
    expect(durationSettings({ frequencyMs: 1 }, 'catalog.refresh.')).toEqual({
      'catalog.refresh.frequency': 1,
    });
  });
});

describe('logEffectiveDurations', () => {
  it('logs one info line with every duration in ISO 8601', () => {
    const logger = mockServices.logger.mock();
    logEffectiveDurations(logger, 'aiops-correlation', {
      groupWindow: 1_800_000,
      tickInterval: 5_000,
      'routing.escalationPolicies.p.after': [600_000, 1_800_000],
    });
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      'aiops-correlation durations: groupWindow=PT30M tickInterval=PT5S routing.escalationPolicies.p.after=PT10M,PT30M',
    );
  });
});

describe('readCatalogRefreshSchedule', () => {
  it('defaults each setting on its own', () => {
    expect(readCatalogRefreshSchedule(new ConfigReader({}))).toEqual({
      frequencyMs: 300_000,
      timeoutMs: 120_000,
      initialDelayMs: 300_000,
    });
    expect(readCatalogRefreshSchedule(layered(frequency('PT1M')))).toEqual({
      frequencyMs: 60_000,
      timeoutMs: 120_000,
      initialDelayMs: 300_000,
    });
  });

  it('fails naming the key of a malformed or zero setting', () => {
    expect(() =>
      readCatalogRefreshSchedule(layered(frequency('every five minutes'))),
    ).toThrow(/^aiops\.catalog\.refresh\.frequency is not a duration/);
    expect(() =>
      readCatalogRefreshSchedule(layered(frequency('PT0S'))),
    ).toThrow('aiops.catalog.refresh.frequency must be a positive duration');
  });
});
