import type { SilenceStore } from '../database/SilenceStore';
import { toCoreSilence } from '../service/silenceSchedule';
import type { CoreSilence as Silence } from '../service/types';

const HOUR = 3600_000;

/**
 * Silences with their windows expanded, for correlation. Expanding a recurrence rule costs more
 * the older the rule is, so the expansion of a span around now is kept until a silence changes
 * here, another replica's change is due (`maxAgeMs`), or the span is half used; only a batch
 * reaching outside it (a long catch-up) expands anew.
 */
export function cachedSilences(options: {
  store: SilenceStore;
  now?: () => number;
  spanMs?: number;
  /** Silences created or expired on other replicas are picked up within this time. */
  maxAgeMs?: number;
}): {
  silences(from: number, to: number): Promise<Silence[]>;
  invalidate(): void;
} {
  const now = options.now ?? Date.now;
  const span = options.spanMs ?? 12 * HOUR;
  const maxAge = options.maxAgeMs ?? 30_000;
  let cached:
    | {
        from: number;
        to: number;
        loadedAt: number;
        silences: Promise<Silence[]>;
      }
    | undefined;

  const expand = async (from: number, to: number) => {
    const stored = await options.store.listActive(
      new Date(from).toISOString(),
      new Date(to).toISOString(),
    );
    return stored.map(silence => toCoreSilence(silence, from, to));
  };

  return {
    async silences(from, to) {
      const t = now();
      if (!cached || t - cached.from > span || t - cached.loadedAt > maxAge) {
        const range = { from: t - span / 2, to: t + span };
        cached = {
          ...range,
          loadedAt: t,
          silences: expand(range.from, range.to),
        };
        // A failed read is retried next time instead of being cached.
        cached.silences.catch(() => {
          cached = undefined;
        });
      }
      if (from >= cached.from && to <= cached.to) return cached.silences;
      return expand(from, to);
    },
    invalidate() {
      cached = undefined;
    },
  };
}
