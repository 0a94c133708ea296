import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';

/**
 * A duration setting in milliseconds, written like Backstage's other duration settings (`PT5M`,
 * `{ minutes: 5 }`); `fallback` when absent.
 */
export function readDurationMs(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(
    config?.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );
}
