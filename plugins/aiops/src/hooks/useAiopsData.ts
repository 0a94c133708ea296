import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { aiopsApiRef, type AiopsApi } from '../api/AiopsApi';

/** How often open panels refresh themselves: incidents change while you look at them. */
export const POLL_INTERVAL_MS = 30_000;

/**
 * Loads with the AIOps client and reloads every `pollMs` (0: never) while mounted; a reload
 * keeps showing the last value until the new one arrives.
 */
export function useAiopsData<T>(
  load: (api: AiopsApi) => Promise<T>,
  deps: unknown[],
  options: { pollMs?: number } = {},
) {
  const api = useApi(aiopsApiRef);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsyncRetry(() => load(api), [api, ...deps]);
  const pollMs = options.pollMs ?? POLL_INTERVAL_MS;
  const { retry } = state;
  useEffect(() => {
    if (!pollMs) return undefined;
    const timer = setInterval(retry, pollMs);
    return () => clearInterval(timer);
  }, [retry, pollMs]);
  return state;
}
