/**
 * Group commit: while one write transaction is in flight, requests that arrive queue up and
 * are written together in the next one. Under load this turns many single-alert requests into
 * few transactions (one commit, one lock on the feed counter) without adding latency when idle.
 * Each caller still gets its own results only after the transaction holding them committed.
 */
export class GroupCommit<Item, Result> {
  private queue: Array<{
    items: Item[];
    resolve: (results: Result[]) => void;
    reject: (error: unknown) => void;
  }> = [];
  private writing = false;

  constructor(
    private readonly write: (items: Item[]) => Promise<Result[]>,
    private readonly maxItems = 1000,
  ) {}

  submit(items: Item[]): Promise<Result[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain() {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      try {
        const results = await this.write(batch.flatMap(entry => entry.items));
        let offset = 0;
        for (const entry of batch) {
          entry.resolve(results.slice(offset, offset + entry.items.length));
          offset += entry.items.length;
        }
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.writing = false;
  }

  /** Whole requests only, so one request's items always commit together. */
  private takeBatch() {
    let count = 0;
    let take = 0;
    while (
      take < this.queue.length &&
      (take === 0 || count + this.queue[take].items.length <= this.maxItems)
    ) {
      count += this.queue[take].items.length;
      take += 1;
    }
    return this.queue.splice(0, take);
  }
}
