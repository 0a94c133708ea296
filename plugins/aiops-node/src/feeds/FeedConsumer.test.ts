import {
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  continuation,
  FeedConsumer,
  type FeedConsumerDatabase,
} from './FeedConsumer';
import type { Feed, FeedItem } from '@aiops/plugin-aiops-common';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/**
 * A producer's feed in a table of the test database, read like a producer's `?after=&limit=`,
 * and a handler that counts how often each item was handled (its effect, one row per item, is
 * idempotent; the count shows repeats).
 */
async function setup(databaseId: TestDatabaseId) {
  const db: FeedConsumerDatabase = await databases.init(databaseId);
  await db.schema.createTable('produced', table => {
    table.bigInteger('seq').primary();
    table.string('id', 32).notNullable();
  });
  await db.schema.createTable('handled', table => {
    table.string('id', 32).primary();
    table.integer('times').notNullable();
  });
  let head = 0;
  const reads: string[] = [];
  const failures = new Set<string>();
  /** Records `count` items; returns them as an event would announce them. */
  const record = async (count: number): Promise<Array<FeedItem<string>>> => {
    const rows = Array.from({ length: count }, () => {
      head++;
      return { seq: head, id: `item-${head}` };
    });
    for (let i = 0; i < rows.length; i += 200) {
      await db('produced').insert(rows.slice(i, i + 200));
    }
    return rows.map(row => ({ item: row.id, cursor: String(row.seq) }));
  };
  const read = async (after: string, limit: number): Promise<Feed<string>> => {
    reads.push(after);
    const rows = await db('produced')
      .where('seq', '>', Number(after))
      .orderBy('seq')
      .limit(limit);
    const items = rows.map(row => ({
      item: row.id as string,
      cursor: String(Number(row.seq)),
    }));
    return { items, cursor: items[items.length - 1]?.cursor ?? after };
  };
  /** Items `leaving` handles leave while they are in it. */
  const stuck = new Set<string>();
  const handleOne = async (item: string) => {
    if (failures.delete(item)) throw new Error(`cannot handle ${item}`);
    await db('handled')
      .insert({ id: item, times: 1 })
      .onConflict('id')
      .merge({ times: db.raw('?? + 1', ['handled.times']) });
  };
  const handle = async (items: Array<FeedItem<string>>) => {
    for (const { item } of items) await handleOne(item);
  };
  /** Handles the items that are not stuck; resolves to the cursor before the first stuck one. */
  const leaving = async (
    items: Array<FeedItem<string>>,
    page: { after: string },
  ): Promise<string | void> => {
    let done = page.after;
    let left = false;
    for (const { item, cursor } of items) {
      if (stuck.has(item)) {
        left = true;
        continue;
      }
      await handleOne(item);
      if (!left) done = cursor;
    }
    return left ? done : undefined;
  };
  const consumer = (
    options: Partial<
      ConstructorParameters<typeof FeedConsumer<string>>[0]
    > = {},
  ) =>
    new FeedConsumer<string>({
      name: 'test-consumer',
      database: db,
      read,
      handle,
      ...options,
    });
  /** How often each item was handled, keyed by how often: `{1: 1200}` is each once. */
  const handledTimes = async () => {
    const rows = await db('handled').select('times');
    const counts: Record<number, number> = {};
    for (const { times } of rows) counts[times] = (counts[times] ?? 0) + 1;
    return counts;
  };
  /** The row's cursor and how far it has read. */
  const stored = () => storedRow(db);
  return {
    db,
    record,
    read,
    reads,
    failures,
    stuck,
    leaving,
    consumer,
    handledTimes,
    stored,
  };
}

async function storedRow(db: FeedConsumerDatabase) {
  return db('aiops_feed_consumers').first('cursor', 'ahead');
}

describe.each(databases.eachSupportedId())('FeedConsumer on %p', databaseId => {
  it('catches up after being stopped while 1,200 items were recorded, each handled once, with two replicas', async () => {
    const t = await setup(databaseId);
    await t.record(10);
    const before = t.consumer();
    expect(await before.catchUp()).toBe(10);
    await before.stop();
    expect(await before.catchUp()).toBe(0);

    await t.record(1200);
    const [a, b] = [t.consumer(), t.consumer()];
    const handled = await Promise.all([a.catchUp(), b.catchUp(), a.catchUp()]);

    expect(handled.reduce((sum, n) => sum + n, 0)).toBe(1200);
    expect(await t.handledTimes()).toEqual({ 1: 1210 });
    expect(await a.cursor()).toBe('1210');
    expect(await b.cursor()).toBe('1210');
  });

  it('lets two replicas consume while items are recorded, none lost and none handled twice', async () => {
    const t = await setup(databaseId);
    const [a, b] = [t.consumer({ pageSize: 25 }), t.consumer({ pageSize: 25 })];
    for (let round = 0; round < 20; round++) {
      const announced = await t.record(60);
      // Each replica hears the announcement; one also runs its periodic catch-up.
      await Promise.all([
        a.announced(announced),
        b.announced(announced),
        round % 2 ? a.catchUp() : b.catchUp(),
      ]);
    }
    await Promise.all([a.catchUp(), b.catchUp()]);
    expect(await t.handledTimes()).toEqual({ 1: 1200 });
    expect(await a.cursor()).toBe('1200');
  });

  it('handles announced items that continue exactly from its cursor without reading the feed', async () => {
    const t = await setup(databaseId);
    const consumer = t.consumer();
    await t.record(5);
    await consumer.catchUp();
    t.reads.length = 0;

    const next = await t.record(3);
    // Repeats and items already handled are dropped; order does not matter.
    expect(await consumer.announced([next[2], next[0], next[1], next[0]])).toBe(
      3,
    );
    expect(t.reads).toEqual([]);
    expect(await consumer.cursor()).toBe('8');
    expect(await consumer.announced(next)).toBe(0);
    expect(t.reads).toEqual([]);
  });

  it('reads the feed from its cursor when announced items leave a gap', async () => {
    const t = await setup(databaseId);
    const consumer = t.consumer();
    await t.record(5);
    await consumer.catchUp();
    t.reads.length = 0;

    const missed = await t.record(4);
    expect(await consumer.announced(missed.slice(2))).toBe(4);
    expect(t.reads).toEqual(['5']);
    expect(await t.handledTimes()).toEqual({ 1: 9 });
    expect(await consumer.cursor()).toBe('9');
  });

  it('reads the feed when an announced cursor is ahead of it, and not when it is there', async () => {
    const t = await setup(databaseId);
    const consumer = t.consumer();
    await t.record(3);
    expect(await consumer.reached('3')).toBe(3);
    t.reads.length = 0;
    expect(await consumer.reached('2')).toBe(0);
    expect(await consumer.reached('3')).toBe(0);
    expect(t.reads).toEqual([]);
  });

  it('answers a storm of announcements with a few reads of its row, not one each', async () => {
    const t = await setup(databaseId);
    const consumer = t.consumer();
    const statements: string[] = [];
    const count = (query: { sql: string }) => {
      if (query.sql.includes('aiops_feed_consumers'))
        statements.push(query.sql);
    };
    (t.db as any).on('query', count);
    try {
      const items = await t.record(300);
      // Correlation announces each change as it commits: 300 events, none awaited.
      const calls = items.map(item => consumer.reached(item.cursor));
      await Promise.all(calls);
      expect(await t.handledTimes()).toEqual({ 1: 300 });
      expect(t.reads.length).toBeLessThanOrEqual(3);
      expect(statements.length).toBeLessThan(30);

      // Announcements of what was read already are answered from memory.
      statements.length = 0;
      await Promise.all(items.map(item => consumer.reached(item.cursor)));
      expect(statements).toEqual([]);
      expect((await t.stored()).ahead).toBe('300');
    } finally {
      (t.db as any).off('query', count);
    }
  });

  it('handles items again after a failure, and moves the cursor only past handled pages', async () => {
    const t = await setup(databaseId);
    const consumer = t.consumer({ pageSize: 5 });
    await t.record(12);
    t.failures.add('item-7');

    await expect(consumer.catchUp()).rejects.toThrow('cannot handle item-7');
    expect(await consumer.cursor()).toBe('5');
    expect(await consumer.catchUp()).toBe(7);
    expect(await consumer.cursor()).toBe('12');
    // At least once: item 6 was handled before item 7 failed, and again with its page.
    expect(await t.handledTimes()).toEqual({ 1: 11, 2: 1 });
    expect(await t.db('handled').where('times', 2).select('id')).toEqual([
      { id: 'item-6' },
    ]);
  });

  it('leaves a held consumer to its holder, and takes it over once the lease lapsed', async () => {
    const t = await setup(databaseId);
    const clock = { now: 1_000_000 };
    let unblock: () => void = () => {};
    const blocked = new Promise<void>(resolve => {
      unblock = resolve;
    });
    const stuck = t.consumer({
      now: () => clock.now,
      leaseMs: 30_000,
      handle: () => blocked,
    });
    const other = t.consumer({ now: () => clock.now, leaseMs: 30_000 });
    await t.record(4);
    expect(await other.cursor()).toBe('0');

    const stuckRun = stuck.catchUp();
    // Wait until the stuck replica holds the lease and is handling.
    for (let i = 0; i < 100; i++) {
      const row = await t.db('aiops_feed_consumers').first('lease_owner');
      if (row?.lease_owner) break;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect(await other.catchUp()).toBe(0);
    expect(await t.handledTimes()).toEqual({});

    clock.now += 30_001;
    expect(await other.catchUp()).toBe(4);
    expect(await other.cursor()).toBe('4');

    // The stuck replica finishes late: its lease is gone, so it stores nothing.
    unblock();
    expect(await stuckRun).toBe(4);
    expect(await other.cursor()).toBe('4');
    expect(
      await t.db('aiops_feed_consumers').first('lease_owner', 'lease_until'),
    ).toEqual({ lease_owner: null, lease_until: null });
  });

  it('keeps the cursor before an item the handler left, reads on, and gives it another turn on the next catch-up', async () => {
    const t = await setup(databaseId);
    const options = { pageSize: 5, handle: t.leaving };
    await t.record(12);
    t.stuck.add('item-3');

    expect(await t.consumer(options).catchUp()).toBe(12);
    // Items after the left one were handled in the same call; the cursor stays before it.
    expect(await t.handledTimes()).toEqual({ 1: 11 });
    expect(await t.stored()).toEqual({ cursor: '2', ahead: '12' });

    // Announcements go on from where reading got to, without retrying the left item.
    const restarted = t.consumer(options);
    t.reads.length = 0;
    expect(await restarted.reached('12')).toBe(0);
    await t.record(3);
    expect(await restarted.reached('15')).toBe(3);
    expect(t.reads).toEqual(['12']);
    expect(await t.stored()).toEqual({ cursor: '2', ahead: '15' });

    // A catch-up while it is still stuck re-reads one page from the cursor, not all since.
    t.reads.length = 0;
    expect(await restarted.catchUp()).toBe(5);
    expect(t.reads).toEqual(['2', '15']);
    expect(await restarted.cursor()).toBe('2');

    // Once handled, the cursor moves past everything handled.
    t.stuck.clear();
    t.reads.length = 0;
    expect(await restarted.catchUp()).toBe(13);
    expect(t.reads).toEqual(['2', '7', '12']);
    expect(await t.stored()).toEqual({ cursor: '15', ahead: '15' });
    // At least once: items 4-7 were in each catch-up's page from the cursor, 8-15 were
    // handled before and read again once the cursor could move; item 3 only once, at last.
    expect(await t.handledTimes()).toEqual({ 1: 3, 2: 8, 3: 4 });
    expect(
      await t.db('handled').where('times', 1).orderBy('id').select('id'),
    ).toEqual([{ id: 'item-1' }, { id: 'item-2' }, { id: 'item-3' }]);
    // A handler that left nothing: the consumer behaves as before.
    expect(await t.consumer().cursor()).toBe('15');
  });

  it('retries every left item at each catch-up when `read` leaves out the handled ones', async () => {
    const t = await setup(databaseId);
    /** The feed without what was handled: the handler keeps its own record. */
    const unhandled = async (after: string, limit: number) => {
      t.reads.push(after);
      const rows = await t
        .db('produced')
        .where('seq', '>', Number(after))
        .whereNotIn('id', t.db('handled').select('id'))
        .orderBy('seq')
        .limit(limit);
      const items = rows.map(row => ({
        item: row.id as string,
        cursor: String(Number(row.seq)),
      }));
      return { items, cursor: items[items.length - 1]?.cursor ?? after };
    };
    const consumer = t.consumer({
      pageSize: 5,
      read: unhandled,
      handle: t.leaving,
    });
    await t.record(12);
    t.stuck.add('item-3');
    t.stuck.add('item-9');
    expect(await consumer.catchUp()).toBe(12);
    expect(await t.stored()).toEqual({ cursor: '2', ahead: '12' });

    // Both left items come back in one page, and nothing else does.
    t.stuck.delete('item-9');
    expect(await consumer.catchUp()).toBe(2);
    expect(await t.stored()).toEqual({ cursor: '2', ahead: '12' });

    // Nothing left: the cursor moves to where reading had got, past what `read` left out.
    t.stuck.clear();
    t.reads.length = 0;
    expect(await consumer.catchUp()).toBe(1);
    expect(t.reads).toEqual(['2']);
    expect(await t.stored()).toEqual({ cursor: '12', ahead: '12' });
    expect(await t.handledTimes()).toEqual({ 1: 12 });
  });

  it('adds the read position to a consumer table from before handlers could leave items', async () => {
    const t = await setup(databaseId);
    await t.db.schema.createTable('aiops_feed_consumers', table => {
      table.string('name', 255).primary();
      table.string('cursor', 255).notNullable();
      table.bigInteger('wanted').notNullable().defaultTo(0);
      table.string('lease_owner', 64);
      table.bigInteger('lease_until');
    });
    await t.db('aiops_feed_consumers').insert({
      name: 'test-consumer',
      cursor: '2',
      wanted: 0,
    });
    await t.record(4);
    const consumer = t.consumer();
    expect(await consumer.reached('2')).toBe(0);
    expect(await consumer.reached('4')).toBe(2);
    expect(await t.stored()).toEqual({ cursor: '4', ahead: '4' });
  });

  it('starts a new consumer where `start` says, and keeps its stored cursor afterwards', async () => {
    const t = await setup(databaseId);
    await t.record(6);
    const consumer = t.consumer({ start: async () => '4' });
    expect(await consumer.catchUp()).toBe(2);
    const restarted = t.consumer({ start: async () => '0' });
    expect(await restarted.cursor()).toBe('6');
  });
});

describe('continuation', () => {
  const item = (cursor: number) => ({ item: cursor, cursor: String(cursor) });

  it('is the fresh items in order when they follow the cursor without a gap', () => {
    expect(continuation([item(5), item(4), item(3)], '2')).toEqual([
      item(3),
      item(4),
      item(5),
    ]);
    expect(continuation([item(1), item(2)], '2')).toEqual([]);
  });

  it('is undefined when an item is missing in between', () => {
    expect(continuation([item(4), item(5)], '2')).toBeUndefined();
  });
});
