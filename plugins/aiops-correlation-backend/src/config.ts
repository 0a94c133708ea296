import type { Config } from '@backstage/config';
import {
  durationSettings,
  readDurationMs,
  type CatalogRefreshSchedule,
  type ReadDurationOptions,
} from '@aiops/plugin-aiops-node';
import { routingDurations, type NotificationSettings } from './notify/config';
import { DEFAULT_CORRELATION_CONFIG } from './service/config';
import type { CorrelationConfig } from './service/types';

export interface CorrelationPluginConfig {
  rules: CorrelationConfig;
  /** How often time passes for correlation (held groups open, quiet incidents resolve). */
  tickIntervalMs: number;
  /** How often the in-memory working state is saved for a restart. */
  checkpointIntervalMs: number;
  /** How often, at most, an open incident is re-derived while alerts keep joining it. */
  refreshIntervalMs: number;
  /** How far back observed calls from traces count as topology. */
  observedCallsWindowMs: number;
}

const fromMs = (ms: number) => ({ milliseconds: ms });

/**
 * Reads `aiops.correlation`; everything is optional and defaults to the documented values. A
 * malformed value throws an error naming its key, which fails the plugin's start.
 */
export function readCorrelationConfig(root: Config): CorrelationPluginConfig {
  const config = root.getOptionalConfig('aiops.correlation');
  const d = DEFAULT_CORRELATION_CONFIG;
  const duration = (
    key: string,
    fallbackMs: number,
    options?: ReadDurationOptions,
  ) =>
    readDurationMs(
      root,
      `aiops.correlation.${key}`,
      fromMs(fallbackMs),
      options,
    );
  const topology = config?.getOptionalConfig('topology');
  const flap = config?.getOptionalConfig('flap');
  const inhibition = config?.getOptionalConfig('inhibition');
  const alertKinds = config?.getOptionalConfig('alertKinds');
  const positive = (
    key: string,
    value: number | undefined,
    fallback: number,
  ) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `aiops.correlation.${key} must be a positive integer, got ${value}`,
      );
    }
    return value;
  };
  return {
    rules: {
      groupBy: config?.getOptionalStringArray('groupBy') ?? [...d.groupBy],
      groupWindowMs: duration('groupWindow', d.groupWindowMs),
      groupWaitMs: duration('groupWait', d.groupWaitMs),
      minAlerts: positive(
        'minAlerts',
        config?.getOptionalNumber('minAlerts'),
        d.minAlerts,
      ),
      minDurationMs: duration('minDuration', d.minDurationMs),
      topology: {
        enabled: topology?.getOptionalBoolean('enabled') ?? d.topology.enabled,
        maxHops: positive(
          'topology.maxHops',
          topology?.getOptionalNumber('maxHops'),
          d.topology.maxHops,
        ),
        windowMs: duration('topology.window', d.topology.windowMs),
        sameSystem:
          topology?.getOptionalBoolean('sameSystem') ?? d.topology.sameSystem,
      },
      deployWindowMs: duration('deployWindow', d.deployWindowMs),
      quietPeriodMs: duration('quietPeriod', d.quietPeriodMs),
      flap: {
        windowMs: duration('flap.window', d.flap.windowMs),
        minTransitions: positive(
          'flap.minTransitions',
          flap?.getOptionalNumber('minTransitions'),
          d.flap.minTransitions,
        ),
      },
      inhibition: {
        criticalOverWarning:
          inhibition?.getOptionalBoolean('criticalOverWarning') ??
          d.inhibition.criticalOverWarning,
        upstreamOutage:
          inhibition?.getOptionalBoolean('upstreamOutage') ??
          d.inhibition.upstreamOutage,
      },
      unowned: {
        maxOpenIncidents: positive(
          'unowned.maxOpenIncidents',
          config?.getOptionalNumber('unowned.maxOpenIncidents'),
          d.unowned.maxOpenIncidents,
        ),
      },
      alertKinds: {
        outageWords:
          alertKinds?.getOptionalStringArray('outageWords') ??
          d.alertKinds.outageWords,
        symptomWords:
          alertKinds?.getOptionalStringArray('symptomWords') ??
          d.alertKinds.symptomWords,
        kindLabel:
          alertKinds?.getOptionalString('kindLabel') ?? d.alertKinds.kindLabel,
        labels:
          alertKinds?.getOptionalStringArray('labels') ?? d.alertKinds.labels,
      },
    },
    // Zero would make the scheduler run the tick back to back.
    tickIntervalMs: duration('tickInterval', 5_000, { positive: true }),
    checkpointIntervalMs: duration('checkpointInterval', 10_000),
    refreshIntervalMs: duration('refreshInterval', 2_000),
    observedCallsWindowMs: duration('observedCallsWindow', 24 * 3_600_000),
  };
}

/**
 * Every duration the plugin runs with, by its config key: below `aiops.correlation` without a
 * prefix, then `routing.…` and `catalog.refresh.…` (below `aiops`).
 */
export function effectiveDurations(
  config: CorrelationPluginConfig,
  notifications: NotificationSettings,
  catalogRefresh: CatalogRefreshSchedule,
): Record<string, number | number[]> {
  const { rules, ...intervals } = config;
  return {
    ...durationSettings(rules),
    ...durationSettings(intervals),
    ...routingDurations(notifications),
    ...durationSettings(catalogRefresh, 'catalog.refresh.'),
  };
}
