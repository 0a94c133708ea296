import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { knex as createKnex, type Knex } from 'knex';
import type { EntityResolution } from '@aiops/plugin-aiops-common';
import type { DeploymentInput } from '../service/inputs';
import { alertInput } from '../__testUtils__/inputs';
import { DatabaseIngestStore } from './DatabaseIngestStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const cart: EntityResolution = {
  status: 'resolved',
  entityRef: 'component:default/cart',
  owner: 'group:default/checkout-team',
  matchedBy: 'label:service',
};
const unowned: EntityResolution = {
  status: 'unowned',
  reason: 'no service label',
};

function deployment(overrides: Partial<DeploymentInput> = {}): DeploymentInput {
  return {
    source: 'github',
    externalId: 'github:acme/cart#1',
    labels: { service: 'cart' },
    environment: 'production',
    version: 'v1.4.2',
    status: 'started',
    startedAt: '2026-11-25T07:55:00.000Z',
    ...overrides,
  };
}

const now = new Date('2026-11-25T08:00:05.000Z');

describe.each(databases.eachSupportedId())(
  'DatabaseIngestStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseIngestStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return { knex, store };
    }

    it('keeps writing after a migration adds a column (statements name their columns)', async () => {
      const { knex, store } = await createStore();
      // Sequential writes reuse a pooled connection, which then holds the prepared statements.
      for (const fingerprint of ['m1', 'm2', 'm3']) {
        await store.recordAlerts(
          [{ input: alertInput(fingerprint), resolution: cart }],
          now,
        );
      }
      await knex.schema.alterTable('alerts', table =>
        table.text('added_later'),
      );
      await knex.schema.alterTable('deployments', table =>
        table.text('added_later'),
      );
      for (const fingerprint of ['m1', 'm4']) {
        await store.recordAlerts(
          [{ input: alertInput(fingerprint), resolution: cart }],
          now,
        );
      }
      await store.recordDeployments(
        [{ input: deployment(), resolution: cart }],
        now,
      );
      const { items } = await store.listAlerts({ limit: 10 });
      expect(items.map(a => a.fingerprint).sort()).toEqual([
        'm1',
        'm2',
        'm3',
        'm4',
      ]);
    });

    it('keeps one alert for repeated deliveries of the same fingerprint', async () => {
      const { knex, store } = await createStore();
      const first = await store.recordAlerts(
        [{ input: alertInput('a'), resolution: cart }],
        now,
      );
      const second = await store.recordAlerts(
        [{ input: alertInput('a'), resolution: cart }],
        now,
      );

      expect(first[0]?.change).toBe('created');
      expect(second[0]?.change).toBe('refreshed');
      expect(second[0]?.alert.id).toBe(first[0]?.alert.id);
      expect(await knex('alerts').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      const rows = await knex('alerts').select(
        'delivery_count',
        'entity_ref',
        'owner',
      );
      expect(rows).toHaveLength(1);
      expect(Number(rows[0].delivery_count)).toBe(2);
      expect(rows[0]).toMatchObject({
        entity_ref: 'component:default/cart',
        owner: 'group:default/checkout-team',
      });
    });

    it('applies deliveries of one fingerprint within a batch in order', async () => {
      const { store } = await createStore();
      const recorded = await store.recordAlerts(
        [
          { input: alertInput('a'), resolution: cart },
          {
            input: alertInput('a', {
              status: 'resolved',
              endsAt: '2026-11-25T08:01:00.000Z',
            }),
            resolution: cart,
          },
          { input: alertInput('b'), resolution: unowned },
        ],
        now,
      );
      expect(recorded.map(r => r?.change)).toEqual([
        'created',
        'resolved',
        'created',
      ]);
      const page = await store.listAlerts({ limit: 10 });
      expect(
        page.items.map(a => [a.fingerprint, a.status, a.deliveryCount]),
      ).toEqual([
        ['b', 'firing', 1],
        ['a', 'resolved', 2],
      ]);
      expect(page.items[0].resolution).toEqual(unowned);
    });

    it('resolves by dedup key only alerts it knows', async () => {
      const { store } = await createStore();
      await store.recordAlerts(
        [{ input: alertInput('k', { source: 'generic' }), resolution: cart }],
        now,
      );
      const recorded = await store.recordAlerts(
        [
          {
            resolveByKey: {
              fingerprint: 'k',
              endsAt: '2026-11-25T08:02:00.000Z',
            },
            source: 'generic',
          },
          {
            resolveByKey: {
              fingerprint: 'unknown',
              endsAt: '2026-11-25T08:02:00.000Z',
            },
            source: 'generic',
          },
        ],
        now,
      );
      expect(recorded[0]).toMatchObject({
        change: 'resolved',
        alert: { status: 'resolved' },
      });
      expect(recorded[1]).toBeUndefined();
    });

    it('filters, pages and feeds alerts by cursor', async () => {
      const { store } = await createStore();
      for (let i = 0; i < 5; i++) {
        await store.recordAlerts(
          [{ input: alertInput(`a${i}`), resolution: i % 2 ? cart : unowned }],
          now,
        );
      }
      const firstPage = await store.listAlerts({ limit: 2 });
      expect(firstPage.items.map(a => a.fingerprint)).toEqual(['a4', 'a3']);
      const secondPage = await store.listAlerts({
        limit: 2,
        cursor: firstPage.nextCursor,
      });
      expect(secondPage.items.map(a => a.fingerprint)).toEqual(['a2', 'a1']);
      const lastPage = await store.listAlerts({
        limit: 2,
        cursor: secondPage.nextCursor,
      });
      expect(lastPage).toEqual({
        items: [expect.objectContaining({ fingerprint: 'a0' })],
        nextCursor: undefined,
      });

      expect(
        (
          await store.listAlerts({
            limit: 10,
            entityRef: 'component:default/cart',
          })
        ).items,
      ).toHaveLength(2);
      expect(
        (await store.listAlerts({ limit: 10, unowned: true })).items,
      ).toHaveLength(3);
      expect(
        (await store.listAlerts({ limit: 10, to: '2026-11-25T07:00:00.000Z' }))
          .items,
      ).toHaveLength(0);

      const feed = await store.alertFeed(undefined, 3);
      expect(feed.items.map(i => i.item.fingerprint)).toEqual([
        'a0',
        'a1',
        'a2',
      ]);
      // A change moves an alert to the end of the feed.
      await store.recordAlerts(
        [
          {
            input: alertInput('a0', { status: 'resolved' }),
            resolution: unowned,
          },
        ],
        now,
      );
      const rest = await store.alertFeed(feed.cursor, 10);
      expect(rest.items.map(i => i.item.fingerprint)).toEqual([
        'a3',
        'a4',
        'a0',
      ]);
      expect(await store.alertFeed(rest.cursor, 10)).toEqual({
        items: [],
        cursor: rest.cursor,
      });
    });

    it('looks alerts up by id, in the order asked for, leaving unknown ids out', async () => {
      const { store } = await createStore();
      const recorded = await store.recordAlerts(
        Array.from({ length: 250 }, (_, i) => ({
          input: alertInput(`b${i}`),
          resolution: i % 2 ? cart : unowned,
        })),
        now,
      );
      const ids = recorded.map(r => r!.alert.id);
      // More ids than one statement chunk, asked for out of order, with a repeat and unknowns.
      const asked = [
        ids[7],
        'no-such-alert',
        ...ids.slice(10).reverse(),
        ids[7],
      ];
      const found = await store.getAlerts(asked);
      expect(found.map(a => a.id)).toEqual([
        ids[7],
        ...ids.slice(10).reverse(),
      ]);
      expect(found[0]).toEqual(recorded[7]!.alert);
      expect(await store.getAlerts([])).toEqual([]);
      expect(await store.getAlerts(['no-such-alert'])).toEqual([]);
    });

    it('never creates two rows for one fingerprint under concurrent writers', async () => {
      const { knex, store } = await createStore();
      await Promise.all(
        Array.from({ length: 8 }, () =>
          store.recordAlerts(
            [{ input: alertInput('race'), resolution: cart }],
            now,
          ),
        ),
      );
      const rows = await knex('alerts').where({ fingerprint: 'race' });
      expect(rows).toHaveLength(1);
      expect(Number(rows[0].delivery_count)).toBe(8);
    });

    it('writes batches larger than one statement chunk', async () => {
      const { knex, store } = await createStore();
      const fingerprints = Array.from({ length: 450 }, (_, i) => `big-${i}`);
      const batch = fingerprints.map(f => ({
        input: alertInput(f),
        resolution: cart,
      }));
      const first = await store.recordAlerts(batch, now);
      const second = await store.recordAlerts(batch, now);

      expect(first.every(r => r?.change === 'created')).toBe(true);
      expect(second.every(r => r?.change === 'refreshed')).toBe(true);
      expect(second.map(r => r?.alert.id)).toEqual(first.map(r => r?.alert.id));
      const rows = await knex('alerts').select(
        'fingerprint',
        'delivery_count',
        'seq',
      );
      expect(rows).toHaveLength(450);
      expect(rows.every(row => Number(row.delivery_count) === 2)).toBe(true);
      expect(new Set(rows.map(row => Number(row.seq))).size).toBe(450);
      const feed = await store.alertFeed(undefined, 1000);
      expect(feed.items.map(i => i.item.fingerprint)).toEqual(fingerprints);
      expect(feed.items.map(i => i.cursor)).toEqual(second.map(r => r?.cursor));
    });

    it('keeps the same fingerprint of different sources apart within a batch', async () => {
      const { knex, store } = await createStore();
      const batch = [
        { input: alertInput('same'), resolution: cart },
        { input: alertInput('same', { source: 'generic' }), resolution: cart },
        { input: alertInput('other', { source: 'generic' }), resolution: cart },
      ];
      await store.recordAlerts(batch, now);
      const again = await store.recordAlerts([...batch].reverse(), now);
      expect(again.map(r => r?.change)).toEqual([
        'refreshed',
        'refreshed',
        'refreshed',
      ]);
      const rows = await knex('alerts')
        .orderBy(['source', 'fingerprint'])
        .select('source', 'fingerprint', 'delivery_count');
      expect(
        rows.map(row => [
          row.source,
          row.fingerprint,
          Number(row.delivery_count),
        ]),
      ).toEqual([
        ['alertmanager', 'same', 2],
        ['generic', 'other', 2],
        ['generic', 'same', 2],
      ]);
    });

    it('round-trips absent fields as NULL and text as given', async () => {
      const { knex, store } = await createStore();
      const awkward =
        'NULL "quoted" \\ back\\slash {braces}, commas; \'single\'\nnewline ünïcode';
      const [bare, full] = await store.recordAlerts(
        [
          { input: alertInput('bare'), resolution: unowned },
          {
            input: alertInput('full', {
              title: awkward,
              description: 'NULL',
              labels: { alertname: awkward, service: 'cartservice', empty: '' },
              annotations: { summary: awkward },
              generatorUrl: 'http://prometheus/graph?g0.expr=up%3D%3D0&x="y"',
              status: 'resolved',
              endsAt: '2026-11-25T08:01:00.123Z',
            }),
            resolution: cart,
          },
        ],
        now,
      );
      const stored = await knex('alerts').orderBy('fingerprint').select();
      expect(stored[0]).toMatchObject({
        fingerprint: 'bare',
        description: null,
        generator_url: null,
        ends_at: null,
        entity_ref: null,
        owner: null,
        system: null,
      });
      expect(stored[1]).toMatchObject({
        description: 'NULL',
        title: awkward,
        system: null,
      });
      const listed = await store.listAlerts({ limit: 10 });
      expect(listed.items).toEqual([full!.alert, bare!.alert]);
      expect(full!.alert).toMatchObject({
        description: 'NULL',
        endsAt: '2026-11-25T08:01:00.123Z',
      });
      expect(bare!.alert.description).toBeUndefined();

      const [deployed] = await store.recordDeployments(
        [
          {
            input: deployment({ version: awkward, labels: { note: awkward } }),
            resolution: unowned,
          },
        ],
        now,
      );
      const [row] = await knex('deployments').select();
      expect(row).toMatchObject({
        version: awkward,
        labels: JSON.stringify({ note: awkward }),
        previous_version: null,
        finished_at: null,
        url: null,
        commit: null,
        actor: null,
        entity_ref: null,
      });
      expect((await store.listDeployments({ limit: 10 })).items).toEqual([
        deployed.deployment,
      ]);
    });

    it('merges deployment events of one deployment in any order', async () => {
      const { store } = await createStore();
      const finished = await store.recordDeployments(
        [
          {
            input: deployment({
              status: 'succeeded',
              finishedAt: '2026-11-25T08:00:00.000Z',
            }),
            resolution: cart,
          },
        ],
        now,
      );
      const lateStart = await store.recordDeployments(
        [{ input: deployment(), resolution: cart }],
        now,
      );
      expect(finished[0].change).toBe('created');
      expect(lateStart[0]).toMatchObject({
        change: 'unchanged',
        deployment: {
          status: 'succeeded',
          finishedAt: '2026-11-25T08:00:00.000Z',
        },
      });
      const page = await store.listDeployments({
        limit: 10,
        entityRef: 'component:default/cart',
      });
      expect(page.items).toHaveLength(1);
      const feed = await store.deploymentFeed(undefined, 10);
      expect(feed.items).toHaveLength(1);
    });

    it('merges telemetry rollups, buckets and edges across requests', async () => {
      const { store } = await createStore();
      const minute = Date.parse('2026-11-25T08:00:00.000Z');
      const rollup = (
        count: number,
        sum: number,
        min: number,
        max: number,
        bucketCounts: number[],
      ) => ({
        entityKey: 'component:default/cart',
        metric: 'span.duration_ms',
        minute,
        count,
        sum,
        min,
        max,
        buckets: [
          { upperBound: 100, count: bucketCounts[0] },
          { upperBound: Infinity, count: bucketCounts[1] },
        ],
      });
      const edge = {
        callerKey: 'component:default/frontend',
        calleeKey: 'component:default/cart',
        minute,
        count: 5,
        errorCount: 1,
      };
      await store.recordTelemetry({
        rollups: [rollup(10, 500, 5, 90, [10, 0])],
        exemplars: [],
        edges: [edge],
      });
      await store.recordTelemetry({
        rollups: [
          rollup(10, 3000, 40, 900, [4, 6]),
          { ...rollup(1, 1, 1, 1, [1, 0]), minute: minute + 60_000 },
        ],
        exemplars: [
          {
            entityKey: 'component:default/cart',
            time: minute + 1000,
            kind: 'span',
            severity: 'ERROR',
            message: 'boom',
            traceId: 'ab'.repeat(16),
            spanId: 'cd'.repeat(8),
          },
        ],
        edges: [edge],
      });

      const series = await store.readSeries({
        entityKey: 'component:default/cart',
        metric: 'span.duration_ms',
        from: minute,
        to: minute + 120_000,
        stepMs: 60_000,
      });
      expect(series[0]).toEqual({
        time: minute,
        count: 20,
        sum: 3500,
        min: 5,
        max: 900,
        buckets: [
          { upperBound: 100, count: 14 },
          { upperBound: Infinity, count: 6 },
        ],
      });
      const coarse = await store.readSeries({
        entityKey: 'component:default/cart',
        metric: 'span.duration_ms',
        from: minute,
        to: minute + 120_000,
        stepMs: 120_000,
      });
      expect(coarse).toHaveLength(1);
      expect(coarse[0].count).toBe(21);

      expect(
        await store.listEdges({ from: minute, to: minute + 60_000 }),
      ).toEqual([
        {
          callerKey: 'component:default/frontend',
          calleeKey: 'component:default/cart',
          count: 10,
          errorCount: 2,
          firstSeen: minute,
          lastSeen: minute,
        },
      ]);
      expect(
        await store.listExemplars({
          entityKey: 'component:default/cart',
          from: minute,
          to: minute + 60_000,
          limit: 10,
        }),
      ).toEqual([
        expect.objectContaining({ message: 'boom', traceId: 'ab'.repeat(16) }),
      ]);
    });

    it('deletes only what retention allows', async () => {
      const { store } = await createStore();
      await store.recordAlerts(
        [
          {
            input: alertInput('old', {
              status: 'resolved',
              endsAt: '2026-10-01T00:00:00.000Z',
              startsAt: '2026-09-30T00:00:00.000Z',
            }),
            resolution: cart,
          },
          {
            input: alertInput('firing', {
              startsAt: '2026-09-30T00:00:00.000Z',
            }),
            resolution: cart,
          },
          {
            input: alertInput('recent', {
              status: 'resolved',
              endsAt: '2026-11-25T07:00:00.000Z',
            }),
            resolution: cart,
          },
        ],
        now,
      );
      const deleted = await store.deleteExpired({
        resolvedAlertsBefore: new Date('2026-11-01T00:00:00.000Z'),
        telemetryBefore: new Date('2026-11-01T00:00:00.000Z'),
        deploymentsBefore: new Date('2026-11-01T00:00:00.000Z'),
      });
      expect(deleted.alerts).toBe(1);
      const left = await store.listAlerts({ limit: 10 });
      expect(left.items.map(a => a.fingerprint).sort()).toEqual([
        'firing',
        'recent',
      ]);
    });
  },
);

/** Several replicas: one store per connection pool, on one PostgreSQL database (SQLite has one writer). */
const replicaDatabases = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));
// Skipped, not failed, where no PostgreSQL is configured.
(replicaDatabases.length > 0
  ? describe.each(replicaDatabases)
  : describe.skip.each([['POSTGRES_15' as const]]))(
  'DatabaseIngestStore replicas on %s',
  databaseId => {
    async function createReplicas() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseIngestStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const others = [
        createKnex(knex.client.config),
        createKnex(knex.client.config),
      ];
      return {
        knex,
        others,
        stores: [store, ...others.map(other => new DatabaseIngestStore(other))],
      };
    }

    /** Waits until `count` sessions of this database wait for a lock. */
    async function waitForLockWaiters(knex: Knex, count: number) {
      for (let attempt = 0; attempt < 500; attempt++) {
        const [{ n }] = await knex('pg_stat_activity')
          .where({ wait_event_type: 'Lock' })
          .whereRaw('datname = current_database()')
          .count({ n: '*' });
        if (Number(n) >= count) return;
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      throw new Error(`never saw ${count} sessions waiting for a lock`);
    }

    it('applies a delivery to what another replica committed while it waited for the feed', async () => {
      const { knex, others, stores } = await createReplicas();
      try {
        await stores[0].recordAlerts(
          [{ input: alertInput('shared'), resolution: cart }],
          now,
        );
        // Hold the feed counter so that both writes below read first, then queue for it.
        const holder = await others[0].transaction();
        await holder('feed_counters').where({ feed: 'alerts' }).forUpdate();
        const writes = [stores[1], stores[2]].map(store =>
          store.recordAlerts(
            [
              { input: alertInput('shared'), resolution: cart },
              { input: alertInput('own'), resolution: cart },
            ],
            now,
          ),
        );
        await waitForLockWaiters(knex, 2);
        await holder.commit();
        const results = await Promise.all(writes);

        // Whichever claimed second saw the other's commit and counted on top of it.
        expect(results.map(r => r.map(x => x?.change)).sort()).toEqual([
          ['refreshed', 'created'],
          ['refreshed', 'refreshed'],
        ]);
        const rows = await knex('alerts')
          .orderBy('fingerprint')
          .select('fingerprint', 'delivery_count', 'seq');
        expect(
          rows.map(row => [row.fingerprint, Number(row.delivery_count)]),
        ).toEqual([
          ['own', 2],
          ['shared', 3],
        ]);
        const cursors = results.flat().map(r => Number(r!.cursor));
        expect(new Set(cursors).size).toBe(4);
        expect(Math.max(...cursors)).toBe(5);
      } finally {
        await Promise.all(others.map(other => other.destroy()));
      }
    });

    it('keeps one row, every delivery and increasing cursors under concurrent replicas', async () => {
      const { knex, others, stores } = await createReplicas();
      try {
        const fingerprints = Array.from({ length: 20 }, (_, i) => `r${i}`);
        const deliveries = new Map<string, number>();
        const results = await Promise.all(
          Array.from({ length: 24 }, (_, round) => {
            // Overlapping batches of 10, rotating over the fingerprints.
            const batch = [...Array(10).keys()].map(
              i => fingerprints[(round * 3 + i) % 20],
            );
            for (const f of batch)
              deliveries.set(f, (deliveries.get(f) ?? 0) + 1);
            return stores[round % 3]
              .recordAlerts(
                batch.map(f => ({ input: alertInput(f), resolution: cart })),
                now,
              )
              .then(recorded => ({ batch, recorded }));
          }),
        );

        const rows = await knex('alerts').select(
          'fingerprint',
          'delivery_count',
          'seq',
        );
        expect(rows).toHaveLength(20);
        for (const row of rows) {
          expect(Number(row.delivery_count)).toBe(
            deliveries.get(row.fingerprint),
          );
        }
        // Each fingerprint was created once; every other delivery counted on a stored row.
        const changes = results.flatMap(r => r.recorded.map(x => x!.change));
        expect(changes.filter(c => c === 'created')).toHaveLength(20);
        expect(
          changes.filter(c => c !== 'created' && c !== 'refreshed'),
        ).toEqual([]);
        // Cursors are unique, and a row carries the cursor of the last change to it.
        const cursors = results.flatMap(r =>
          r.recorded.map(x => Number(x!.cursor)),
        );
        expect(new Set(cursors).size).toBe(cursors.length);
        const lastCursor = new Map<string, number>();
        for (const { batch, recorded } of results) {
          batch.forEach((f, i) =>
            lastCursor.set(
              f,
              Math.max(lastCursor.get(f) ?? 0, Number(recorded[i]!.cursor)),
            ),
          );
        }
        for (const row of rows)
          expect(Number(row.seq)).toBe(lastCursor.get(row.fingerprint));
        // The feed, read through, is in strictly increasing order.
        const feed = await stores[1].alertFeed(undefined, 100);
        const feedCursors = feed.items.map(i => Number(i.cursor));
        expect(feedCursors).toHaveLength(20);
        expect(feedCursors).toEqual([...feedCursors].sort((a, b) => a - b));
        expect(new Set(feedCursors).size).toBe(20);
      } finally {
        await Promise.all(others.map(other => other.destroy()));
      }
    });
  },
);

describe('DatabaseIngestStore on a SQLite file', () => {
  it('commits through a write-ahead log', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiops-ingest-wal-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'ingest.sqlite') },
      useNullAsDefault: true,
    });
    try {
      await DatabaseIngestStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const [mode] = await knex.raw('PRAGMA journal_mode');
      expect(mode.journal_mode).toBe('wal');
      const [sync] = await knex.raw('PRAGMA synchronous');
      // FULL: an acknowledged alert survives a power loss, as with the rollback journal.
      expect(sync.synchronous).toBe(2);
    } finally {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
