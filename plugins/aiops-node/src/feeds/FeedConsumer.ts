import { randomUUID } from 'node:crypto';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Feed, FeedItem } from '@aiops/plugin-aiops-common';
import { afterPage, seq, type FeedPosition } from './position';

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
  /**
   * A page of the feed after a cursor, oldest first (the producer's `?after=&limit=`); fewer
   * than `limit` items only at its end. It may leave out items that need no handling (handled
   * already), and items that wait for one at or before `after` that was left: a consumer that
   * keeps its own record of what it handled then re-reads only what is left.
   */
  read(after: string, limit: number): Promise<Feed<T>>;
  /**
   * Handles items in feed order. Must be idempotent: an item is handled again when the cursor
   * could not be stored after it (a failure, or a replica that took over a lapsed lease).
   * Throwing leaves the cursor where it was, so the same items come again on the next call.
   *
   * Resolving to nothing says every item was handled. A handler may instead leave items for a
   * later catch-up (one it cannot handle yet, and those that must wait for it) and go on with
   * the others: it then resolves to the cursor it handled every item up to (`page.after` when
   * it left the first). The stored cursor stays there, never past a left item, and the
   * consumer reads on; the next `catchUp` reads from there again.
   */
  handle(
    items: Array<FeedItem<T>>,
    page: { after: string },
  ): Promise<void | string>;
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
 * Delivery is at least once: the cursor moves only past items `handle` handled.
 *
 * A handler may leave items for later (see `handle`): the consumer then keeps two positions,
 * the cursor (everything up to it handled; a restart begins there) and how far it has read
 * (announcements go on from there). `catchUp` reads again from the cursor, so left items get
 * another turn, until a page leaves items again; then it goes on from where reading had got.
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
  /**
   * A reach this instance has seen stored. The stored reach only moves forward, so a cursor at
   * or before it is read already, on any replica: a storm's announcements (hundreds a second)
   * are answered from memory instead of a database read each.
   */
  private knownReach = '0';
  /** The `reached` call waiting its turn, which later announcements join instead of queueing. */
  private waitingReach?: { cursor: string; done: Promise<number> };

  constructor(private readonly options: FeedConsumerOptions<T>) {
    this.pageSize = options.pageSize ?? 500;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reads the feed from the stored cursor until it is exhausted, giving items left before
   * another turn. Resolves to the number of items this call handed to `handle`: 0 also when
   * another replica holds the consumer (it reads once more before letting go).
   */
  catchUp(): Promise<number> {
    return this.enqueue(() => this.consume('cursor'));
  }

  /**
   * Items an event announced, with their cursors. When they continue exactly from where the
   * consumer has read to they are handled without reading the feed; after a gap the feed is
   * read instead. Items at or before that are dropped.
   */
  announced(items: Array<FeedItem<T>>): Promise<number> {
    return this.enqueue(async () => {
      if (this.stopping) return 0;
      const { reach } = await this.stored();
      if (!items.some(item => seq(item.cursor) > seq(reach))) return 0;
      return this.consume('reach', items);
    });
  }

  /**
   * An event said the feed holds items up to `cursor` without carrying them: the feed is read
   * unless the consumer has read there already.
   */
  reached(cursor: string): Promise<number> {
    if (seq(cursor) <= seq(this.knownReach)) return Promise.resolve(0);
    const waiting = this.waitingReach;
    if (waiting) {
      // Its read, not begun yet, goes to the feed's head: it reads this cursor's items too.
      if (seq(cursor) > seq(waiting.cursor)) waiting.cursor = cursor;
      return waiting.done;
    }
    const call = { cursor, done: Promise.resolve(0) };
    call.done = this.enqueue(async () => {
      if (this.waitingReach === call) this.waitingReach = undefined;
      if (this.stopping) return 0;
      if (seq(call.cursor) <= seq((await this.stored()).reach)) return 0;
      return this.consume('reach');
    });
    this.waitingReach = call;
    return call.done;
  }

  /** The stored cursor: every item up to it has been handled. */
  cursor(): Promise<string> {
    return this.enqueue(async () => (await this.stored()).cursor);
  }

  /** Lets the page in progress finish; later calls do nothing. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.queue;
  }

  /** Reads from the stored cursor (`catchUp`) or from where reading had got (announcements). */
  private async consume(
    from: 'cursor' | 'reach',
    announced?: Array<FeedItem<T>>,
  ): Promise<number> {
    if (this.stopping) return 0;
    await this.prepare();
    let lease = await this.acquire();
    if (!lease) {
      await this.rows().increment('wanted', 1);
      // The holder may have let go before it could see the request: then it is ours.
      lease = await this.acquire();
      if (!lease) return 0;
    }
    let { wanted } = lease;
    const { cursor, reach } = lease;
    let position: FeedPosition = { cursor, reach, read: lease[from] };
    let handled = 0;
    try {
      const fresh = announced && continuation(announced, position.read);
      let read = !fresh;
      for (let i = 0; fresh && i < fresh.length; i += this.pageSize) {
        const items = fresh.slice(i, i + this.pageSize);
        const done = await this.options.handle(items, { after: position.read });
        handled += items.length;
        const end = items[items.length - 1].cursor;
        position = afterPage(position, {
          end,
          done: done ?? undefined,
          last: false,
        });
        if (!(await this.advance(position))) return handled;
      }
      for (;;) {
        if (read) {
          const result = await this.readToHead(position);
          handled += result.handled;
          if (!result.held) return handled;
          position = result.position;
        }
        if (await this.release(wanted)) return handled;
        // Another replica asked for a read meanwhile.
        const row = await this.rows().first('wanted', 'lease_owner');
        if (row?.lease_owner !== this.id) return handled;
        wanted = Number(row.wanted);
        position = { ...position, read: position.reach };
        read = true;
      }
    } catch (error) {
      await this.rows()
        .where('lease_owner', this.id)
        .update({ lease_owner: null, lease_until: null });
      throw error;
    }
  }

  /** Pages through the feed from `position`; `held` false when the lease was lost on the way. */
  private async readToHead(from: FeedPosition) {
    let position = from;
    let handled = 0;
    while (!this.stopping) {
      const after = position.read;
      const page = await this.options.read(after, this.pageSize);
      const done =
        page.items.length > 0
          ? await this.options.handle(page.items, { after })
          : undefined;
      handled += page.items.length;
      const moved = seq(page.cursor) > seq(after);
      const next = afterPage(position, {
        end: moved ? page.cursor : after,
        done: done ?? undefined,
        last: !moved || page.items.length < this.pageSize,
      });
      if (!samePosition(next, position) && !(await this.advance(next))) {
        return { handled, position, held: false };
      }
      position = next;
      if (!moved || page.items.length < this.pageSize) break;
    }
    return { handled, position, held: true };
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
    const row = await this.rows().first('cursor', 'ahead', 'wanted');
    return { ...this.seen(toStored(row)), wanted: Number(row.wanted) };
  }

  /** Stores the position and renews the lease, while the lease is still this instance's. */
  private async advance(position: FeedPosition): Promise<boolean> {
    const updated = await this.rows()
      .where('lease_owner', this.id)
      .update({
        cursor: position.cursor,
        ahead: position.reach,
        lease_until: this.now() + this.leaseMs,
      });
    if (updated > 0) this.seen({ reach: position.reach });
    return updated > 0;
  }

  /** Lets go of the lease unless another replica asked for a read since `wanted` was read. */
  private async release(wanted: number): Promise<boolean> {
    const released = await this.rows()
      .where({ lease_owner: this.id, wanted })
      .update({ lease_owner: null, lease_until: null });
    return released > 0;
  }

  private async stored(): Promise<{ cursor: string; reach: string }> {
    await this.prepare();
    return this.seen(toStored(await this.rows().first('cursor', 'ahead')));
  }

  /** Remembers a stored reach (see `knownReach`). */
  private seen<P extends { reach: string }>(position: P): P {
    if (seq(position.reach) > seq(this.knownReach))
      this.knownReach = position.reach;
    return position;
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

/** `ahead` is NULL in rows from before consumers could leave items: read as far as the cursor. */
function toStored(row: { cursor: string; ahead?: string | null }) {
  const reach =
    row.ahead && seq(row.ahead) > seq(row.cursor) ? row.ahead : row.cursor;
  return { cursor: row.cursor, reach };
}

function samePosition(a: FeedPosition, b: FeedPosition): boolean {
  return a.cursor === b.cursor && a.reach === b.reach && a.read === b.read;
}

/** Created where missing; replicas starting together may race to create it. */
async function createTable(db: FeedConsumerDatabase): Promise<void> {
  if (await db.schema.hasTable(TABLE)) {
    await addAhead(db);
    return;
  }
  try {
    await db.schema.createTable(TABLE, table => {
      table.string('name', 255).primary();
      table.string('cursor', 255).notNullable();
      /** How far items were handed to `handle`; beyond `cursor` while some were left. */
      table.string('ahead', 255);
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

/** Tables created before consumers could leave items lack `ahead`. */
async function addAhead(db: FeedConsumerDatabase): Promise<void> {
  if (await db.schema.hasColumn(TABLE, 'ahead')) return;
  try {
    await db.schema.alterTable(TABLE, table => {
      table.string('ahead', 255);
    });
  } catch (error) {
    if (!(await db.schema.hasColumn(TABLE, 'ahead'))) throw error;
  }
}
