import type { LoggerService } from '@backstage/backend-plugin-api';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';

export interface ReadDurationOptions {
  /** Refuse zero as well, for intervals and timeouts where zero would mean a busy loop or no time at all. */
  positive?: boolean;
}

/**
 * A duration setting in milliseconds; `fallback` when absent. Read like Backstage's other
 * duration settings: an ISO 8601 string (`PT30S`), which is the documented form, or an object
 * (`{ seconds: 30 }`), still accepted. Strings are documented because Backstage merges objects
 * across config files: `{ seconds: 30 }` written over a default `{ minutes: 5 }` means 5 min 30 s,
 * while a string replaces whatever the files below it say.
 *
 * `key` is the path from `config`; pass the root config and the full key so that the error for
 * a malformed or negative value names the setting the operator has to fix.
 */
export function readDurationMs(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
  options: ReadDurationOptions = {},
): number {
  if (!config?.has(key)) return durationToMilliseconds(fallback);
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(
      `${key} is not a duration; write it as an ISO 8601 duration such as 'PT30S'. ${
        (error as Error).message
      }`,
    );
  }
  if (!Number.isFinite(ms) || ms < 0 || (options.positive && ms === 0)) {
    throw new InputError(
      `${key} must be a ${
        options.positive ? 'positive' : 'non-negative'
      } duration, got ${JSON.stringify(config.get(key))}`,
    );
  }
  return ms;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Milliseconds as an ISO 8601 duration in days, hours, minutes and seconds (`PT30M`, `P14D`,
 * `PT1.5S`, `PT0S`): the form the config is written in, and one `readDurationMs` reads back.
 * No months or years, whose length in milliseconds is a convention rather than a fact.
 */
export function formatIsoDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  const take = (unit: number) => {
    const count = Math.floor(rest / unit);
    rest -= count * unit;
    return count;
  };
  const days = take(DAY);
  const hours = take(HOUR);
  const minutes = take(MINUTE);
  const seconds = rest / SECOND;
  const part = (value: number, designator: string) =>
    value ? `${value}${designator}` : '';
  const time = part(hours, 'H') + part(minutes, 'M') + part(seconds, 'S');
  if (!days && !time) return 'PT0S';
  return `P${part(days, 'D')}${time ? `T${time}` : ''}`;
}

/**
 * The durations among read settings, by the config key each was read from: a setting read from
 * key `x` is kept as `xMs`, so `{ topology: { windowMs } }` gives `topology.window`. Walking the
 * settings, rather than listing them, keeps the start-up line complete as settings are added.
 */
export function durationSettings(
  settings: object,
  prefix = '',
): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value === 'number' && name.endsWith('Ms')) {
      found[`${prefix}${name.slice(0, -2)}`] = value;
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(found, durationSettings(value, `${prefix}${name}.`));
    }
  }
  return found;
}

/**
 * Logs the durations a plugin actually runs with, once at start, as one line
 * (`aiops-correlation durations: groupWindow=PT30M …`): after config files are layered, this is
 * the one place that shows which value won.
 */
export function logEffectiveDurations(
  logger: LoggerService,
  name: string,
  durationsMs: Record<string, number | number[]>,
): void {
  const entries = Object.entries(durationsMs).map(
    ([key, ms]) => `${key}=${[ms].flat().map(formatIsoDuration).join(',')}`,
  );
  logger.info(`${name} durations: ${entries.join(' ')}`);
}
