import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readDurationMs } from '@aiops/plugin-aiops-node';
import { knownMetric, type MetricDefinition } from './metrics';
import { DEFAULT_METRIC_SET } from './metrics';
import {
  DEFAULT_PROMETHEUS_QUERIES,
  DEFAULT_SERVICE_ANNOTATION,
} from './providers/promql';

export type BuiltInProvider = 'embedded' | 'prometheus';

export interface PrometheusConfig {
  baseUrl: string;
  timeoutMs: number;
  serviceAnnotation: string;
  queries: Record<string, string>;
}

export interface RegressionConfig {
  enabled: boolean;
  intervalMs: number;
  timeoutMs: number;
  initialDelayMs: number;
  windowMs: number;
  stepMs: number;
  providers: BuiltInProvider[];
  metrics: MetricDefinition[];
  dedupToleranceMs: number;
  changePoints: { maxPValue: number; windowLength: number; minSegment: number };
  deploy: { beforeMs: number; afterMs: number; alpha: number };
  drift: {
    enabled: boolean;
    recentMs: number;
    seasons: number;
    stepMs: number;
  };
  prometheus?: PrometheusConfig;
}

const MINUTE_MS = 60_000;
const KEY = 'aiops.regression';

function wholeMinutes(key: string, ms: number) {
  if (ms % MINUTE_MS !== 0)
    throw new InputError(`${key} must be whole minutes, got ${ms} ms`);
  return ms;
}

function probability(
  config: Config | undefined,
  key: string,
  fallback: number,
) {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!(value > 0 && value < 1))
    throw new InputError(
      `${KEY}.${key} must be a number in (0, 1), not ${value}`,
    );
  return value;
}

function integer(
  config: Config | undefined,
  key: string,
  fallback: number,
  min: number,
  max: number,
) {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw new InputError(
      `${KEY}.${key} must be an integer in [${min}, ${max}], not ${value}`,
    );
  return value;
}

function readMetrics(config: Config | undefined): MetricDefinition[] {
  const names = config?.getOptionalStringArray('metrics') ?? DEFAULT_METRIC_SET;
  const floors = config?.getOptionalConfig('minRelativeChange');
  for (const name of floors?.keys() ?? []) {
    if (!knownMetric(name))
      throw new InputError(
        `${KEY}.minRelativeChange.${name}: unknown metric ${name}`,
      );
  }
  return names.map(name => {
    const metric = knownMetric(name);
    if (!metric) throw new InputError(`${KEY}.metrics: unknown metric ${name}`);
    const floor = floors?.getOptionalNumber(name) ?? metric.minRelativeChange;
    if (!(floor >= 0))
      throw new InputError(
        `${KEY}.minRelativeChange.${name} must be 0 or more, not ${floor}`,
      );
    return { ...metric, minRelativeChange: floor };
  });
}

function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

function readPrometheus(root: Config): PrometheusConfig | undefined {
  const config = root.getOptionalConfig(`${KEY}.prometheus`);
  const baseUrl = config?.getOptionalString('baseUrl');
  if (!baseUrl) return undefined;
  const queries = { ...DEFAULT_PROMETHEUS_QUERIES };
  const overrides = config?.getOptionalConfig('queries');
  for (const metric of overrides?.keys() ?? []) {
    if (!knownMetric(metric))
      throw new InputError(
        `${KEY}.prometheus.queries.${metric}: unknown metric ${metric}`,
      );
    queries[metric] = overrides!.getString(metric);
  }
  return {
    baseUrl: withoutTrailingSlashes(baseUrl),
    timeoutMs: readDurationMs(
      root,
      `${KEY}.prometheus.timeout`,
      { seconds: 30 },
      { positive: true },
    ),
    serviceAnnotation:
      config?.getOptionalString('serviceAnnotation') ??
      DEFAULT_SERVICE_ANNOTATION,
    queries,
  };
}

/** `aiops.regression.*`, with defaults; a malformed value fails the plugin's start naming its key. */
export function readRegressionConfig(root: Config): RegressionConfig {
  const config = root.getOptionalConfig(KEY);
  const duration = (
    key: string,
    fallback: Parameters<typeof readDurationMs>[2],
  ) => readDurationMs(root, `${KEY}.${key}`, fallback, { positive: true });
  const providers = (config?.getOptionalStringArray('providers') ?? [
    'embedded',
  ]) as BuiltInProvider[];
  for (const id of providers) {
    if (id !== 'embedded' && id !== 'prometheus')
      throw new InputError(
        `${KEY}.providers: ${id} is not a built-in provider (embedded or prometheus)`,
      );
  }
  const prometheus = readPrometheus(root);
  if (providers.includes('prometheus') && !prometheus)
    throw new InputError(
      `${KEY}.providers names prometheus but ${KEY}.prometheus.baseUrl is not set`,
    );
  const windowLength = integer(
    config,
    'changePoints.windowLength',
    50,
    10,
    10_000,
  );
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    intervalMs: duration('interval', { minutes: 5 }),
    timeoutMs: duration('timeout', { minutes: 4 }),
    initialDelayMs: readDurationMs(root, `${KEY}.initialDelay`, {
      minutes: 1,
    }),
    windowMs: duration('window', { hours: 24 }),
    stepMs: wholeMinutes(`${KEY}.step`, duration('step', { minutes: 1 })),
    providers,
    metrics: readMetrics(config),
    dedupToleranceMs: duration('dedupTolerance', { minutes: 30 }),
    changePoints: {
      maxPValue: probability(config, 'changePoints.maxPValue', 0.001),
      windowLength,
      minSegment: integer(
        config,
        'changePoints.minSegment',
        5,
        2,
        Math.min(25, Math.floor(windowLength / 2)),
      ),
    },
    deploy: {
      beforeMs: duration('deploy.before', { minutes: 30 }),
      afterMs: duration('deploy.after', { minutes: 30 }),
      alpha: probability(config, 'deploy.alpha', 0.05),
    },
    drift: {
      enabled: config?.getOptionalBoolean('drift.enabled') ?? true,
      recentMs: duration('drift.recent', { hours: 1 }),
      seasons: integer(config, 'drift.seasons', 7, 1, 28),
      stepMs: wholeMinutes(
        `${KEY}.drift.step`,
        duration('drift.step', { minutes: 5 }),
      ),
    },
    prometheus,
  };
}
