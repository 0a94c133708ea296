import { randomUUID } from 'node:crypto';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Feed, FeedItem } from '@aiops/plugin-aiops-common';

/** A knex client as Backstage's database service hands it out (this package has no knex). */
export type FeedConsumerDatabase = Awaited<
  ReturnType<DatabaseService['getClient']>
>;

/** One row per consumer: its cursor, and who is consuming for it until when. */
const TABLE = 'aiops_feed_consumers';

export interface FeedConsumerOptions<T> {
  /** Names the consumer in its database; the replicas of one consumer share it. */
  name: string;
  /** The consumer's own database, where its cursor is kept (the table is created on first use). */
  database: FeedConsumerDatabase;
  /** A page of the feed after a cursor, oldest first (the producer's `?after=&limit=`). */
  read(after: string, limit: number): Promise<Feed<T>>;
  /**
   * Handles items in feed order. Must be idempotent: an item is handled again when the cursor
   * could not be stored after it (a failure, or a replica that took over a lapsed lease).
   * Throwing leaves the cursor where it was, so the same items come again on the next call.
   */
  handle(items: Array<FeedItem<T>>): Promise<void>;
  /** Where a consumer with no stored cursor begins; the feed's beginning (`'0'`) by default. */
  start?(): Promise<string>;
  /** Items per feed read and per `handle` call; 500 by default. */
  pageSize?: number;
  /**
   * How long one replica consumes before another may take over (renewed with every page it
   * stores); one minute by default. Longer than handling a page takes.
   */
  leaseMs?: number;
  /** Epoch milliseconds; leases are measured with it. */
  now?: () => number;
}

const tables = new WeakMap<FeedConsumerDatabase, Promise<void>>();

/**
 * The consumer side of a change feed: the cursor kept in the consumer's database, announced
 * items handled straight away when they continue exactly from it, the feed read otherwise.
 * Delivery is at least once: the cursor moves only after `handle` succeeded.
 *
 * Replicas of one consumer share its row. Only the one holding the row's lease reads, handles
 * and stores the cursor; a call on another replica instead asks the holder for one more read
 * of the feed (the row's `wanted` count, compared when the holder lets go), so whatever was
 * committed before any call is read by some replica without waiting for the next call.
 * Calls on one instance run one at a time, in order.
 */
export class FeedConsumer<T> {
  private readonly id = randomUUID();
  private readonly pageSize: number;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private queue: Promise<unknown> = Promise.resolve();
  private prepared?: Promise<void>;
  private stopping = false;

  constructor(private readonly options: FeedConsumerOptions<T>) {
    this.pageSize = options.pageSize ?? 500;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reads the feed from the stored cursor until it is exhausted. Resolves to the number of
   * items this call handled: 0 also when another replica holds the consumer (it reads once
   * more before letting go).
   */
  catchUp(): Promise<number> {
    return this.enqueue(() => this.consume());
  }

  /**
   * Items an event announced, with their cursors. When they continue exactly from the stored
   * cursor they are handled without reading the feed; after a gap the feed is read instead.
   * Items at or before the stored cursor are dropped.
   */
  announced(items: Array<FeedItem<T>>): Promise<number> {
    return this.enqueue(async () => {
      if (this.stopping) return 0;
      const stored = await this.storedCursor();
      if (!items.some(item => seq(item.cursor) > seq(stored))) return 0;
      return this.consume(items);
    });
  }

  /**
   * An event said the feed holds items up to `cursor` without carrying them: the feed is read
   * unless the stored cursor is there already.
   */
  reached(cursor: string): Promise<number> {
    return this.enqueue(async () => {
      if (this.stopping) return 0;
      if (seq(cursor) <= seq(await this.storedCursor())) return 0;
      return this.consume();
    });
  }

  /** The stored cursor: every item up to it has been handled. */
  cursor(): Promise<string> {
    return this.enqueue(() => this.storedCursor());
  }

  /** Lets the page in progress finish; later calls do nothing. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.queue;
  }

  private async consume(announced?: Array<FeedItem<T>>): Promise<number> {
    if (this.stopping) return 0;
    await this.prepare();
    let lease = await this.acquire();
    if (!lease) {
      await this.rows().increment('wanted', 1);
      // The holder may have let go before it could see the request: then it is ours.
      lease = await this.acquire();
      if (!lease) return 0;
    }
    let { cursor, wanted } = lease;
    let handled = 0;
    try {
      const fresh = announced && continuation(announced, cursor);
      let read = !fresh;
      for (let i = 0; fresh && i < fresh.length; i += this.pageSize) {
        const page = fresh.slice(i, i + this.pageSize);
        await this.options.handle(page);
        handled += page.length;
        const last = page[page.length - 1].cursor;
        if (!(await this.advance(last))) return handled;
        cursor = last;
      }
      for (;;) {
        if (read) {
          const result = await this.readToHead(cursor);
          handled += result.handled;
          if (!result.held) return handled;
          cursor = result.cursor;
        }
        if (await this.release(wanted)) return handled;
        // Another replica asked for a read meanwhile.
        const row = await this.rows().first('cursor', 'wanted', 'lease_owner');
        if (row?.lease_owner !== this.id) return handled;
        ({ cursor } = row);
        wanted = Number(row.wanted);
        read = true;
      }
    } catch (error) {
      await this.rows()
        .where('lease_owner', this.id)
        .update({ lease_owner: null, lease_until: null });
      throw error;
    }
  }

  /** Pages through the feed from `from`; `held` false when the lease was lost on the way. */
  private async readToHead(from: string) {
    let cursor = from;
    let handled = 0;
    while (!this.stopping) {
      const page = await this.options.read(cursor, this.pageSize);
      if (page.items.length > 0) await this.options.handle(page.items);
      handled += page.items.length;
      if (seq(page.cursor) <= seq(cursor)) break;
      if (!(await this.advance(page.cursor))) {
        return { handled, cursor, held: false };
      }
      cursor = page.cursor;
      if (page.items.length < this.pageSize) break;
    }
    return { handled, cursor, held: true };
  }

  /** Takes the lease when it is free or lapsed; the stored cursor and read requests with it. */
  private async acquire() {
    const now = this.now();
    const taken = await this.rows()
      .where(free =>
        free
          .whereNull('lease_until')
          .orWhere('lease_until', '<', now)
          .orWhere('lease_owner', this.id),
      )
      .update({ lease_owner: this.id, lease_until: now + this.leaseMs });
    if (!taken) return undefined;
    const row = await this.rows().first('cursor', 'wanted');
    return { cursor: row.cursor as string, wanted: Number(row.wanted) };
  }

  /** Stores the cursor and renews the lease, while the lease is still this instance's. */
  private async advance(cursor: string): Promise<boolean> {
    const updated = await this.rows()
      .where('lease_owner', this.id)
      .update({ cursor, lease_until: this.now() + this.leaseMs });
    return updated > 0;
  }

  /** Lets go of the lease unless another replica asked for a read since `wanted` was read. */
  private async release(wanted: number): Promise<boolean> {
    const released = await this.rows()
      .where({ lease_owner: this.id, wanted })
      .update({ lease_owner: null, lease_until: null });
    return released > 0;
  }

  private async storedCursor(): Promise<string> {
    await this.prepare();
    const row = await this.rows().first('cursor');
    return row.cursor;
  }

  private rows() {
    return this.options.database(TABLE).where('name', this.options.name);
  }

  /** The table (once per database) and this consumer's row, starting where `start` says. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      const { database, name, start } = this.options;
      let table = tables.get(database);
      if (!table) {
        table = createTable(database);
        tables.set(database, table);
        table.catch(() => tables.delete(database));
      }
      await table;
      if (await this.rows().first('name')) return;
      await database(TABLE)
        .insert({ name, cursor: start ? await start() : '0', wanted: 0 })
        .onConflict('name')
        .ignore();
    })().catch(error => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  private enqueue<R>(work: () => Promise<R>): Promise<R> {
    const run = this.queue.then(work);
    // A failed call must not stop the ones behind it; its caller sees the error.
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * The announced items after `cursor`, in order and each once, if they continue exactly from
 * it (none when all are at or before it); `undefined` when one is missing in between, which
 * only the feed can fill.
 */
export function continuation<T>(
  items: Array<FeedItem<T>>,
  cursor: string,
): Array<FeedItem<T>> | undefined {
  const fresh = new Map<number, FeedItem<T>>();
  for (const item of items) {
    if (seq(item.cursor) > seq(cursor)) fresh.set(seq(item.cursor), item);
  }
  const ordered = [...fresh.entries()].sort(([a], [b]) => a - b);
  let expected = seq(cursor) + 1;
  for (const [next] of ordered) {
    if (next !== expected) return undefined;
    expected++;
  }
  return ordered.map(([, item]) => item);
}

function seq(cursor: string): number {
  return Number(cursor);
}

/** Created where missing; replicas starting together may race to create it. */
async function createTable(db: FeedConsumerDatabase): Promise<void> {
  if (await db.schema.hasTable(TABLE)) return;
  try {
    await db.schema.createTable(TABLE, table => {
      table.string('name', 255).primary();
      table.string('cursor', 255).notNullable();
      /** Reads other replicas asked the lease holder for (see `FeedConsumer`). */
      table.bigInteger('wanted').notNullable().defaultTo(0);
      table.string('lease_owner', 64);
      /** Epoch milliseconds. */
      table.bigInteger('lease_until');
    });
  } catch (error) {
    if (!(await db.schema.hasTable(TABLE))) throw error;
  }
}
