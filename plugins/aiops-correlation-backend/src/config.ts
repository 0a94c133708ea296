import type { Config } from '@backstage/config';
import { readDurationMs } from '@aiops/plugin-aiops-node';
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

const MINUTE = 60_000;
const minutes = (ms: number) => ({ minutes: ms / MINUTE });

/** Reads `aiops.correlation`; everything is optional and defaults to the documented values. */
export function readCorrelationConfig(root: Config): CorrelationPluginConfig {
  const config = root.getOptionalConfig('aiops.correlation');
  const d = DEFAULT_CORRELATION_CONFIG;
  const topology = config?.getOptionalConfig('topology');
  const flap = config?.getOptionalConfig('flap');
  const inhibition = config?.getOptionalConfig('inhibition');
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
      groupWindowMs: readDurationMs(
        config,
        'groupWindow',
        minutes(d.groupWindowMs),
      ),
      groupWaitMs: readDurationMs(config, 'groupWait', minutes(d.groupWaitMs)),
      minAlerts: positive(
        'minAlerts',
        config?.getOptionalNumber('minAlerts'),
        d.minAlerts,
      ),
      minDurationMs: readDurationMs(
        config,
        'minDuration',
        minutes(d.minDurationMs),
      ),
      topology: {
        enabled: topology?.getOptionalBoolean('enabled') ?? d.topology.enabled,
        maxHops: positive(
          'topology.maxHops',
          topology?.getOptionalNumber('maxHops'),
          d.topology.maxHops,
        ),
        windowMs: readDurationMs(
          topology,
          'window',
          minutes(d.topology.windowMs),
        ),
        sameSystem:
          topology?.getOptionalBoolean('sameSystem') ?? d.topology.sameSystem,
      },
      deployWindowMs: readDurationMs(
        config,
        'deployWindow',
        minutes(d.deployWindowMs),
      ),
      quietPeriodMs: readDurationMs(
        config,
        'quietPeriod',
        minutes(d.quietPeriodMs),
      ),
      flap: {
        windowMs: readDurationMs(flap, 'window', minutes(d.flap.windowMs)),
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
    },
    tickIntervalMs: readDurationMs(config, 'tickInterval', { seconds: 5 }),
    checkpointIntervalMs: readDurationMs(config, 'checkpointInterval', {
      seconds: 10,
    }),
    refreshIntervalMs: readDurationMs(config, 'refreshInterval', {
      seconds: 2,
    }),
    observedCallsWindowMs: readDurationMs(config, 'observedCallsWindow', {
      hours: 24,
    }),
  };
}
