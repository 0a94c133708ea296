import type {
  MetricAttributes,
  MetricOptions,
  MetricsService,
} from '@backstage/backend-plugin-api/alpha';

/** One value of an observable gauge, with its (bounded) attributes. */
export interface GaugeReading<TAttributes extends MetricAttributes> {
  value: number;
  attributes?: TAttributes;
}

/**
 * Registers an observable gauge whose values `read` returns at each collection. `undefined`
 * (nothing known yet, or the source failed) reports no value rather than a made-up zero, so an
 * alert on the metric's absence can tell "none" from "unknown".
 */
export function observeGauge<TAttributes extends MetricAttributes>(
  metrics: MetricsService,
  name: string,
  options: MetricOptions,
  read: () =>
    | Array<GaugeReading<TAttributes>>
    | undefined
    | Promise<Array<GaugeReading<TAttributes>> | undefined>,
): void {
  metrics
    .createObservableGauge<TAttributes>(name, options)
    .addCallback(async result => {
      for (const { value, attributes } of (await read()) ?? []) {
        result.observe(value, attributes);
      }
    });
}

/**
 * A reading that costs a query, for observable instruments: however often collections come
 * (several exporters, a scrape burst, every replica's scraper), `read` runs at most once per
 * `maxAgeMs`, and callers arriving while it runs share it. A failed read reports nothing until
 * the next attempt, which also waits `maxAgeMs`: a database in trouble is not asked more often.
 */
export function cachedReading<T>(
  read: () => Promise<T>,
  options: {
    maxAgeMs: number;
    onError?: (error: unknown) => void;
    now?: () => number;
  },
): () => Promise<T | undefined> {
  const now = options.now ?? Date.now;
  let value: T | undefined;
  let readAt = -Infinity;
  let reading: Promise<T | undefined> | undefined;
  return () => {
    if (reading) return reading;
    if (now() - readAt < options.maxAgeMs) return Promise.resolve(value);
    reading = read()
      .catch(error => {
        options.onError?.(error);
        return undefined;
      })
      .then(result => {
        value = result;
        readAt = now();
        reading = undefined;
        return result;
      });
    return reading;
  };
}
