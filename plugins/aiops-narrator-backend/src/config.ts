import type { Config } from '@backstage/config';
import { readDurationMs } from '@aiops/plugin-aiops-node';

export interface NarratorConfig {
  enabled: boolean;
  debounceMs: number;
  catchUpIntervalMs: number;
  deployWindowMs: number;
  maxTokens: number;
  redactPatterns: string[];
}

/** `aiops.narrator.*`, with defaults; a malformed value fails the plugin's start naming its key. */
export function readNarratorConfig(root: Config): NarratorConfig {
  const config = root.getOptionalConfig('aiops.narrator');
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    debounceMs: readDurationMs(root, 'aiops.narrator.debounce', {
      seconds: 10,
    }),
    catchUpIntervalMs: readDurationMs(
      root,
      'aiops.narrator.catchUpInterval',
      { seconds: 30 },
      { positive: true },
    ),
    deployWindowMs: readDurationMs(root, 'aiops.narrator.deployWindow', {
      hours: 1,
    }),
    maxTokens: config?.getOptionalNumber('maxTokens') ?? 1500,
    redactPatterns: config?.getOptionalStringArray('redact.patterns') ?? [],
  };
}
