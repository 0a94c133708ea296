export interface ExpiringLruMapOptions<V> {
  maxEntries: number;
  ttlMs: number;
  /** Epoch milliseconds; injectable so expiry is testable. */
  now: () => number;
  /**
   * Called with each entry the map drops by itself: when its TTL has passed (noticed by `get`,
   * `set` or `evictExpired`) or when it is the least recently written one beyond `maxEntries`.
   * Not called for `delete`, nor for an entry replaced by `set` under the same key. It runs after
   * the entry is removed.
   */
  onEvict?: (key: string, value: V) => void;
}

/**
 * An in-memory map bounded in size and in age, for state that is useful only briefly (running
 * totals of cumulative series, spans waiting for their other half). Writing an entry makes it
 * the most recent and restarts its TTL, so insertion order is also expiry order: evicting from
 * the front drops expired entries first, then the least recently written ones, in O(1) per
 * write. Reads do not refresh entries; the callers write whenever they use an entry.
 */
export class ExpiringLruMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly options: ExpiringLruMapOptions<V>) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.now()) {
      this.evict(key, entry.value);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    const now = this.options.now();
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + this.options.ttlMs });
    for (const [oldestKey, oldest] of this.entries) {
      if (
        this.entries.size <= this.options.maxEntries &&
        oldest.expiresAt > now
      )
        break;
      this.evict(oldestKey, oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /**
   * Drops every entry whose TTL has passed. Otherwise expired entries are only dropped when
   * read or when a write reaches them, which is enough to bound memory but not to notice, via
   * `onEvict`, that an entry expired.
   */
  evictExpired(): void {
    const now = this.options.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.evict(key, entry.value);
    }
  }

  private evict(key: string, value: V): void {
    this.entries.delete(key);
    this.options.onEvict?.(key, value);
  }
}
