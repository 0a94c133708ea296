import type { JsonValue } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { readCorrelationConfig } from './config';

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
