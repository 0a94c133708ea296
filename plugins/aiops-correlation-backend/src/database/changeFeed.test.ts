import {
  TestDatabases,
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Incident } from '@aiops/plugin-aiops-common';
import { knex as createKnex, type Knex } from 'knex';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import { insertTimeline, type Db } from './rows';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const FEED_MIGRATION = '20261203000000_incident_change_feed.js';
const ROUTING_FAILURES_MIGRATION = '20261204000000_routing_failures.js';
const migrationsDir = resolvePackagePath(
  '@aiops/plugin-aiops-correlation-backend',
  'migrations',
);

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function incident(id: string, minute = 0): Incident {
  return {
    id,
    title: `Incident ${id}`,
    status: 'open',
    severity: 'error',
    primaryEntityRef: 'component:default/cart',
    affectedEntityRefs: ['component:default/cart'],
    owner: 'group:default/checkout-team',
    correlationKey: `key|${id}`,
    ruleVersions: ['group-key@1'],
    alertIds: [`${id}-a1`],
    findings: [],
    rootCauseCandidates: [],
    openedAt: at(minute),
    updatedAt: at(minute),
  };
}

/** A change written the way the stores write one: with its timeline entry. */
function recordChange(db: Db, incidentId: string, name: string, minute = 5) {
  return insertTimeline(db, [
    {
      incidentId,
      at: at(minute),
      kind: 'status',
      action: 'acknowledge',
      summary: name,
      actor: 'user:default/test',
      evidence: [],
      identity: ['test', name],
      change: 'acknowledged',
    },
  ]);
}

async function setup(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex });
  const incidents = await DatabaseIncidentStore.create({ database });
  const notifications = await DatabaseNotificationStore.create({ database });
  const open = (id: string, minute = 0) =>
    incidents.applyDecisions(
      [
        {
          type: 'open-incident',
          incident: incident(id, minute),
          rule: 'group-key@1',
        },
      ],
      { now: at(minute) },
    );
  /** A second connection pool on PostgreSQL, like another replica (SQLite has one writer). */
  const otherPool = (): Knex =>
    knex.client.config.client === 'pg' ? createKnex(knex.client.config) : knex;
  return { knex, incidents, notifications, open, otherPool };
}

describe.each(databases.eachSupportedId())(
  'the incident change feed on %p',
  databaseId => {
    it('feeds recorded changes in commit order, each with its incident as it is now', async () => {
      const { incidents, notifications, open } = await setup(databaseId);
      await open('inc-a', 0);
      await open('inc-b', 1);
      await incidents.acknowledge('inc-a', 'user:default/ana', at(2));
      // A replay (another replica's duplicate work) records nothing more.
      await open('inc-a', 0);

      const feed = await notifications.changeFeed('0', 10);
      expect(
        feed.items.map(({ item, cursor }) => [
          cursor,
          item.change.incidentId,
          item.change.kind,
          item.incident.status,
        ]),
      ).toEqual([
        ['1', 'inc-a', 'opened', 'acknowledged'],
        ['2', 'inc-b', 'opened', 'open'],
        ['3', 'inc-a', 'acknowledged', 'acknowledged'],
      ]);
      expect(feed.cursor).toBe('3');
      const [first] = feed.items;
      expect(first.item.change).toEqual({
        id: expect.any(String),
        incidentId: 'inc-a',
        kind: 'opened',
        at: at(0),
      });
      expect(first.item.incident).toEqual({
        id: 'inc-a',
        title: 'Incident inc-a',
        status: 'acknowledged',
        severity: 'error',
        primaryEntityRef: 'component:default/cart',
        affectedEntityRefs: ['component:default/cart'],
        owner: 'group:default/checkout-team',
        openedAt: at(0),
        acknowledgedAt: at(2),
        updatedAt: at(2),
      });

      const page = await notifications.changeFeed('0', 2);
      expect(page.items.map(i => i.cursor)).toEqual(['1', '2']);
      expect(page.cursor).toBe('2');
      const rest = await notifications.changeFeed(page.cursor, 2);
      expect(rest.items.map(i => i.cursor)).toEqual(['3']);
      expect(await notifications.changeFeed('3', 2)).toEqual({
        items: [],
        cursor: '3',
      });

      expect(await notifications.changeCursor('inc-a')).toBe('3');
      expect(await notifications.changeCursor('inc-b')).toBe('2');
      expect(await notifications.changeCursor('inc-none')).toBeUndefined();
    });

    it('carries the escalation step of an escalated change', async () => {
      const { notifications, open } = await setup(databaseId);
      await open('inc-a');
      // Escalation counts from when the opening was routed.
      const [{ item }] = (await notifications.changeFeed('0', 1)).items;
      await notifications.recordRoute(item.change, [], {
        now: at(1),
        rateLimit: { maxPerWindow: 20, windowMs: 600_000 },
      });
      const [candidate] = await notifications.escalationCandidates();
      const step = {
        policy: 'checkout-critical',
        step: 0,
        afterMs: 600_000,
        targets: [{ type: 'parent' as const }],
      };
      await notifications.recordEscalation(candidate, step, {
        at: at(10),
        summary: 'Escalated',
      });
      const { items } = await notifications.changeFeed('1', 10);
      expect(items.map(i => i.item.change)).toEqual([
        {
          id: expect.any(String),
          incidentId: 'inc-a',
          kind: 'escalated',
          at: at(10),
          escalation: step,
        },
      ]);
    });

    it('lets a reader following it miss nothing while writers commit concurrently', async () => {
      const { knex, open, notifications, otherPool } = await setup(databaseId);
      for (const id of ['inc-a', 'inc-b', 'inc-c']) await open(id);
      const other = otherPool();
      const expected = new Set<string>();
      try {
        let writing = true;
        const writers = Promise.all(
          Array.from({ length: 30 }, async (_, i) => {
            const db = i % 2 ? other : knex;
            await db.transaction(async tx => {
              await recordChange(
                tx,
                ['inc-a', 'inc-b', 'inc-c'][i % 3],
                `w${i}`,
              );
              expected.add(`w${i}`);
              // Held open a while, so later writers commit first.
              await new Promise(resolve => setTimeout(resolve, (i * 7) % 40));
            });
          }),
        ).finally(() => {
          writing = false;
        });

        const seen: string[] = [];
        let cursor = '3';
        for (let done = false; !done; ) {
          done = !writing;
          const page = await notifications.changeFeed(cursor, 1000);
          for (const { item, cursor: next } of page.items) {
            expect(Number(next)).toBe(Number(cursor) + 1);
            cursor = next;
            seen.push(item.change.id);
          }
          await new Promise(resolve => setTimeout(resolve, 5));
        }
        await writers;

        const summaries = await knex('incident_timeline')
          .whereIn('entry_id', seen)
          .pluck('summary');
        expect(seen).toHaveLength(30);
        expect(new Set(summaries)).toEqual(expected);
      } finally {
        if (other !== knex) await other.destroy();
      }
    });

    if (databaseId === 'POSTGRES_15') {
      it('numbers a change when its transaction commits, after those committed before', async () => {
        const { knex, open, notifications, otherPool } = await setup(
          databaseId,
        );
        await open('inc-a');
        await open('inc-b');
        const other = otherPool();
        try {
          const slow = await other.transaction();
          await recordChange(slow, 'inc-a', 'slow');
          await recordChange(knex, 'inc-b', 'fast');
          // The slow change is not visible yet, and the fast one is not numbered behind it.
          const before = await notifications.changeFeed('2', 10);
          expect(before.items.map(i => [i.cursor, i.item.incident.id])).toEqual(
            [['3', 'inc-b']],
          );
          await slow.commit();
          const after = await notifications.changeFeed(before.cursor, 10);
          expect(after.items.map(i => [i.cursor, i.item.incident.id])).toEqual([
            ['4', 'inc-a'],
          ]);
        } finally {
          await other.destroy();
        }
      });
    }

    if (databaseId === 'POSTGRES_15') {
      it('takes the counter only at commit, so writers that lock the same incident cannot deadlock on it', async () => {
        const { knex, open, notifications, otherPool } = await setup(
          databaseId,
        );
        await open('inc-a');
        await open('inc-b');
        const other = otherPool();
        const touch = (db: Db) =>
          db('incidents')
            .where('id', 'inc-a')
            .update({ updated_at: at(7) });
        try {
          // B records a change, then wants the incident A holds; A, holding it, records a
          // change too. Had recording a change locked the counter, A would wait for B's
          // counter lock and B for A's incident: a deadlock.
          const b = await other.transaction();
          await recordChange(b, 'inc-b', 'b');
          const a = await knex.transaction();
          await touch(a);
          await recordChange(a, 'inc-a', 'a');
          const bWaits = touch(b);
          await a.commit();
          await bWaits;
          await b.commit();
          const { items } = await notifications.changeFeed('2', 10);
          expect(items.map(i => [i.cursor, i.item.incident.id])).toEqual([
            ['3', 'inc-a'],
            ['4', 'inc-b'],
          ]);
        } finally {
          await other.destroy();
        }
      });
    }

    it('numbers changes recorded before the feed by time, and goes on from there', async () => {
      const { knex, notifications, open } = await setup(databaseId);
      // The later migration indexes the feed's column: down first, up after.
      for (const name of [ROUTING_FAILURES_MIGRATION, FEED_MIGRATION]) {
        await knex.migrate.down({ directory: migrationsDir, name });
      }
      await open('inc-a', 0);
      await recordChange(knex, 'inc-a', 'later', 9);
      await recordChange(knex, 'inc-a', 'earlier', 4);
      for (const name of [FEED_MIGRATION, ROUTING_FAILURES_MIGRATION]) {
        await knex.migrate.up({ directory: migrationsDir, name });
      }

      await recordChange(knex, 'inc-a', 'after', 1);
      const { items } = await notifications.changeFeed('0', 10);
      expect(items.map(i => [i.cursor, i.item.change.at])).toEqual([
        ['1', at(0)],
        ['2', at(4)],
        ['3', at(9)],
        ['4', at(1)],
      ]);
    });

    it('starts routing just before the oldest change not routed yet', async () => {
      const { notifications, open } = await setup(databaseId);
      expect(await notifications.firstUnroutedCursor()).toBe('0');
      await open('inc-a');
      await open('inc-b');
      await open('inc-c');
      const route = async (cursor: string) => {
        const [{ item }] = (await notifications.changeFeed(cursor, 1)).items;
        await notifications.recordRoute(item.change, [], {
          now: at(1),
          rateLimit: { maxPerWindow: 20, windowMs: 600_000 },
        });
      };
      await route('0');
      await route('2');
      expect(await notifications.firstUnroutedCursor()).toBe('1');
      await route('1');
      expect(await notifications.firstUnroutedCursor()).toBe('3');
    });
  },
);
