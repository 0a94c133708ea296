import { ConfigReader } from '@backstage/config';
import { readRegressionConfig } from './config';

const read = (regression: object) =>
  readRegressionConfig(new ConfigReader({ aiops: { regression } }));

describe('readRegressionConfig', () => {
  it('has defaults that work on the demo: the embedded rollups every five minutes', () => {
    const config = read({});
    expect(config).toMatchObject({
      enabled: true,
      intervalMs: 5 * 60_000,
      windowMs: 24 * 3600_000,
      stepMs: 60_000,
      providers: ['embedded'],
      dedupToleranceMs: 30 * 60_000,
      changePoints: { maxPValue: 0.001, windowLength: 50, minSegment: 5 },
      deploy: { beforeMs: 30 * 60_000, afterMs: 30 * 60_000, alpha: 0.05 },
      drift: { enabled: true, recentMs: 3600_000, seasons: 7, stepMs: 300_000 },
    });
    expect(config.metrics.map(m => m.name)).toHaveLength(6);
    expect(config.prometheus).toBeUndefined();
  });

  it('reads ISO durations, the metric set, floors and Prometheus templates', () => {
    const config = read({
      interval: 'PT10M',
      metrics: ['latency_p99_ms', 'error_rate'],
      minRelativeChange: { error_rate: 0.5 },
      providers: ['prometheus', 'embedded'],
      prometheus: {
        baseUrl: 'http://prometheus:9090/',
        queries: { error_rate: 'my_errors{svc="$service"}' },
      },
    });
    expect(config.intervalMs).toBe(600_000);
    expect(config.metrics.map(m => [m.name, m.minRelativeChange])).toEqual([
      ['latency_p99_ms', 0.1],
      ['error_rate', 0.5],
    ]);
    expect(config.prometheus).toMatchObject({
      baseUrl: 'http://prometheus:9090',
      serviceAnnotation: 'prometheus.io/service-name',
      timeoutMs: 30_000,
    });
    expect(config.prometheus!.queries.error_rate).toBe(
      'my_errors{svc="$service"}',
    );
    expect(config.prometheus!.queries.latency_p99_ms).toContain('0.99');
  });

  it('names the key of a bad value', () => {
    expect(() => read({ interval: 'soon' })).toThrow(
      'aiops.regression.interval',
    );
    expect(() => read({ metrics: ['queue_depth'] })).toThrow(
      'aiops.regression.metrics: unknown metric queue_depth',
    );
    expect(() => read({ providers: ['prometheus'] })).toThrow(
      'aiops.regression.prometheus.baseUrl is not set',
    );
    expect(() => read({ providers: ['datadog'] })).toThrow(
      'aiops.regression.providers',
    );
    expect(() => read({ step: 'PT30S' })).toThrow(
      'aiops.regression.step must be whole minutes',
    );
    expect(() => read({ changePoints: { maxPValue: 2 } })).toThrow(
      'aiops.regression.changePoints.maxPValue',
    );
    expect(() => read({ minRelativeChange: { nope: 1 } })).toThrow(
      'aiops.regression.minRelativeChange.nope',
    );
  });
});
