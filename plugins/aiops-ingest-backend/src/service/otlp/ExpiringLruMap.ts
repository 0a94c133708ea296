export interface ExpiringLruMapOptions {
  maxEntries: number;
  ttlMs: number;
  /** Epoch milliseconds; injectable so expiry is testable. */
  now: () => number;
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

  constructor(private readonly options: ExpiringLruMapOptions) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    const now = this.options.now();
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + this.options.ttlMs });
    for (const [oldestKey, oldest] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && oldest.expiresAt > now) break;
      this.entries.delete(oldestKey);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
