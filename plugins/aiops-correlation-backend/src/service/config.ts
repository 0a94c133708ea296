import type { CorrelationConfig } from './types';
import { DEFAULT_ALERT_KINDS } from './rules/alertKind';

const MINUTE = 60_000;

export const DEFAULT_CORRELATION_CONFIG: CorrelationConfig = {
  groupBy: ['entity'],
  groupWindowMs: 30 * MINUTE,
  groupWaitMs: 0,
  minAlerts: 1,
  minDurationMs: 0,
  topology: {
    enabled: true,
    maxHops: 3,
    windowMs: 15 * MINUTE,
    sameSystem: false,
  },
  deployWindowMs: 60 * MINUTE,
  quietPeriodMs: 5 * MINUTE,
  flap: { windowMs: 30 * MINUTE, minTransitions: 4 },
  inhibition: { criticalOverWarning: true, upstreamOutage: true },
  alertKinds: DEFAULT_ALERT_KINDS,
  unowned: { maxOpenIncidents: 100 },
};

/** Fills the defaults in; nested sections merge one level deep. */
export function correlationConfig(
  overrides: DeepPartial<CorrelationConfig> = {},
): CorrelationConfig {
  const d = DEFAULT_CORRELATION_CONFIG;
  return {
    ...d,
    ...overrides,
    groupBy: overrides.groupBy ? [...overrides.groupBy] : [...d.groupBy],
    topology: { ...d.topology, ...overrides.topology },
    flap: { ...d.flap, ...overrides.flap },
    inhibition: { ...d.inhibition, ...overrides.inhibition },
    alertKinds: { ...d.alertKinds, ...overrides.alertKinds },
    unowned: { ...d.unowned, ...overrides.unowned },
  } as CorrelationConfig;
}

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends Array<infer U>
    ? U[]
    : T[K] extends object
    ? DeepPartial<T[K]>
    : T[K];
};
