import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Incident } from '@aiops/plugin-aiops-common';
import { knex as createKnex, type Knex } from 'knex';
import type { IncidentChange, PlannedDelivery } from '../service/routing/types';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
const LEASE = { limit: 50, leaseMs: 2 * MIN };
const RATE = { maxPerWindow: 20, windowMs: 10 * MIN };
const SLACK = '#checkout-oncall';
const GROUP = 'group:default/checkout-team';

function incident(id: string, overrides: Partial<Incident> = {}): Incident {
  return {
    id,
    title: `Incident ${id}`,
    status: 'open',
    severity: 'error',
    primaryEntityRef: 'component:default/cart',
    affectedEntityRefs: ['component:default/cart'],
    owner: GROUP,
    correlationKey: `key|${id}`,
    ruleVersions: ['group-key@1'],
    alertIds: [`${id}-a1`],
    findings: [],
    rootCauseCandidates: [],
    openedAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

function slackTo(change: IncidentChange, target = SLACK): PlannedDelivery {
  return {
    channel: 'slack',
    target,
    group: GROUP,
    rateLimited: true,
    message: {
      incidentId: change.incidentId,
      change: change.kind,
      changeAt: change.at,
      title: `Incident ${change.incidentId}`,
      severity: 'error',
      status: 'open',
      headline: `${change.kind} ${change.incidentId}`,
      findings: [],
      alertCount: 1,
      links: { incident: `http://app/aiops/incidents/${change.incidentId}` },
    },
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseNotificationStore on %p',
  databaseId => {
    let knex: Knex;
    let incidents: DatabaseIncidentStore;
    let store: DatabaseNotificationStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      incidents = await DatabaseIncidentStore.create({ database });
      store = await DatabaseNotificationStore.create({ database });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const open = async (id: string, minute = 0) => {
      const inc = incident(id, { openedAt: at(minute) });
      await incidents.applyDecisions(
        [{ type: 'open-incident', incident: inc, rule: 'group-key@1' }],
        { now: at(minute) },
      );
      return inc;
    };

    /** Claims and routes every pending change with `plan`; returns the changes. */
    const routeAll = async (
      now: string,
      plan: (change: IncidentChange) => PlannedDelivery[] = c => [slackTo(c)],
      rateLimit = RATE,
    ) => {
      const routed: IncidentChange[] = [];
      // An incident's next change is claimable once the one before is routed.
      for (;;) {
        const changes = await store.claimChanges({ now, ...LEASE });
        if (changes.length === 0) return routed;
        for (const change of changes) {
          await store.recordRoute(change, plan(change), { now, rateLimit });
        }
        routed.push(...changes);
      }
    };

    it('records each change once, with the timeline entry it comes from', async () => {
      const inc = await open('inc-1');
      // A replay (another replica deciding the same) records nothing new.
      await incidents.applyDecisions(
        [{ type: 'open-incident', incident: inc, rule: 'group-key@1' }],
        { now: at(0) },
      );
      await incidents.applyDecisions([], {
        now: at(1),
        snapshots: [{ incident: { ...inc, severity: 'critical' } }],
      });
      await incidents.acknowledge('inc-1', 'user:default/jo', at(2));
      await incidents.acknowledge('inc-1', 'user:default/jo', at(3));
      await incidents.resolve('inc-1', 'user:default/jo', at(4));
      await incidents.reopen('inc-1', 'user:default/jo', at(5));
      await incidents.addNote('inc-1', 'user:default/jo', 'looking', at(6));

      const changes = await routeAll(at(7), () => []);
      expect(changes.map(c => [c.kind, c.at])).toEqual([
        ['opened', at(0)],
        ['severity-raised', at(1)],
        ['acknowledged', at(2)],
        ['resolved', at(4)],
        ['reopened', at(5)],
      ]);
      const timelineIds = await knex('incident_timeline').pluck('entry_id');
      expect(timelineIds).toEqual(
        expect.arrayContaining(changes.map(c => c.id)),
      );
    });

    it('records a merge as news for the merged incident only', async () => {
      await open('source');
      await open('target');
      await routeAll(at(1), () => []);
      await incidents.merge('source', 'target', 'user:default/jo', at(2));
      const changes = await store.claimChanges({ now: at(3), ...LEASE });
      expect(changes.map(c => [c.incidentId, c.kind])).toEqual([
        ['source', 'merged'],
      ]);
    });

    it('leases changes: another claimer gets them only once the lease ran out', async () => {
      await open('inc-1');
      expect(await store.claimChanges({ now: at(1), ...LEASE })).toHaveLength(
        1,
      );
      expect(await store.claimChanges({ now: at(2), ...LEASE })).toHaveLength(
        0,
      );
      expect(await store.claimChanges({ now: at(4), ...LEASE })).toHaveLength(
        1,
      );
    });

    it('stores the route of a change once', async () => {
      await open('inc-1');
      const [change] = await store.claimChanges({ now: at(1), ...LEASE });
      const first = await store.recordRoute(change, [slackTo(change)], {
        now: at(1),
        rateLimit: RATE,
      });
      expect(first).toMatchObject([
        {
          kind: 'message',
          incidentId: 'inc-1',
          changeId: change.id,
          channel: 'slack',
          target: SLACK,
          group: GROUP,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: at(1),
        },
      ]);
      expect(
        await store.recordRoute(change, [slackTo(change)], {
          now: at(2),
          rateLimit: RATE,
        }),
      ).toEqual([]);
      expect(await store.claimChanges({ now: at(10), ...LEASE })).toEqual([]);
      expect(await store.sentTargets('inc-1')).toEqual(
        new Map([[`slack\n${SLACK}`, GROUP]]),
      );
    });

    it('holds messages over the rate limit for one digest at the end of the window', async () => {
      for (const id of ['inc-1', 'inc-2', 'inc-3', 'inc-4']) await open(id);
      const changes = await store.claimChanges({ now: at(1), ...LEASE });
      const stored = [];
      for (const change of changes) {
        stored.push(
          ...(await store.recordRoute(change, [slackTo(change)], {
            now: at(1),
            rateLimit: { maxPerWindow: 2, windowMs: 10 * MIN },
          })),
        );
      }
      expect(stored.map(d => d.status)).toEqual([
        'pending',
        'pending',
        'held',
        'held',
      ]);
      const held = stored.filter(d => d.status === 'held');
      expect(new Set(held.map(d => d.digestId)).size).toBe(1);

      const due = await store.claimDeliveries({ now: at(1), ...LEASE });
      expect(due.every(d => d.kind === 'message')).toBe(true);
      expect(due).toHaveLength(2);
      for (const delivery of due)
        await store.markDelivered(delivery, { at: at(1) });

      const [digest] = await store.claimDeliveries({ now: at(10), ...LEASE });
      expect(digest).toMatchObject({
        kind: 'digest',
        id: held[0].digestId,
        changeAt: at(10),
        channel: 'slack',
        target: SLACK,
        group: GROUP,
      });
      const content = await store.digestContent(digest.id);
      expect(content.messages.map(m => m.incidentId)).toEqual(
        held.map(d => d.incidentId),
      );
      expect(content.from).toBe(at(1));
      await store.markDelivered(digest, {
        at: at(10),
        covered: content.messageIds,
      });
      const settled = await knex('notification_deliveries')
        .whereIn(
          'id',
          held.map(d => d.id),
        )
        .pluck('status');
      expect(settled).toEqual(held.map(() => 'digested'));
      const entries = await incidents.getIncident(held[0].incidentId!);
      expect(entries?.timeline.map(e => e.summary)).toContain(
        `Sent in a digest via Slack ${SLACK} (opened)`,
      );
    });

    it('sends one target the changes of an incident in order, and each once', async () => {
      await open('inc-1');
      await incidents.acknowledge('inc-1', 'user:default/jo', at(1));
      await routeAll(at(2));
      const first = await store.claimDeliveries({ now: at(2), ...LEASE });
      expect(first.map(d => d.message?.change)).toEqual(['opened']);
      // Leased: nothing for another sender, and the acknowledgement waits its turn.
      expect(await store.claimDeliveries({ now: at(2), ...LEASE })).toEqual([]);
      await store.markRetry(first[0], {
        error: 'HTTP 503',
        nextAttemptAt: at(5),
      });
      expect(await store.claimDeliveries({ now: at(3), ...LEASE })).toEqual([]);
      const retried = await store.claimDeliveries({ now: at(5), ...LEASE });
      expect(retried).toMatchObject([
        { id: first[0].id, attempts: 1, lastError: 'HTTP 503' },
      ]);
      await store.markDelivered(retried[0], { at: at(5) });
      const second = await store.claimDeliveries({ now: at(5), ...LEASE });
      expect(second.map(d => d.message?.change)).toEqual(['acknowledged']);
    });

    it('dead-letters with a note on the timeline, and retries a dead letter on request', async () => {
      await open('inc-1');
      await routeAll(at(1));
      const [delivery] = await store.claimDeliveries({ now: at(1), ...LEASE });
      await store.markDead(delivery, { error: 'channel_not_found', at: at(1) });
      const details = await incidents.getIncident('inc-1');
      expect(details?.timeline.at(-1)).toMatchObject({
        kind: 'notification',
        action: 'notification-dead',
        summary: `Notification via Slack ${SLACK} failed for good after 1 attempt(s): channel_not_found`,
      });
      expect(await store.countByStatus()).toMatchObject({
        dead: 1,
        pending: 0,
      });
      const dead = await store.listDeliveries({ status: 'dead', limit: 10 });
      expect(dead.items.map(d => d.id)).toEqual([delivery.id]);

      const again = await store.retry(delivery.id, at(2));
      expect(again).toMatchObject({ status: 'pending', attempts: 0 });
      await expect(store.retry(delivery.id, at(2))).rejects.toThrow(
        ConflictError,
      );
      await expect(store.retry('nope', at(2))).rejects.toThrow(NotFoundError);
    });

    it('pages deliveries newest first', async () => {
      for (const id of ['inc-1', 'inc-2', 'inc-3']) await open(id);
      await routeAll(at(1));
      const page1 = await store.listDeliveries({ limit: 2 });
      const page2 = await store.listDeliveries({
        limit: 2,
        cursor: page1.nextCursor,
      });
      const all = await store.listDeliveries({ limit: 10 });
      expect(page1.items).toHaveLength(2);
      expect([...page1.items, ...page2.items]).toEqual(all.items);
      expect(new Set(all.items.map(d => d.incidentId))).toEqual(
        new Set(['inc-1', 'inc-2', 'inc-3']),
      );
      expect(page2.nextCursor).toBeUndefined();
      const ofOne = await store.listDeliveries({
        incidentId: 'inc-2',
        limit: 10,
      });
      expect(ofOne.items.map(d => d.incidentId)).toEqual(['inc-2']);
    });

    it('escalates unacknowledged incidents once per step, counting from when the team was told', async () => {
      await open('inc-1');
      // Not told yet: nothing to escalate.
      expect(await store.escalationCandidates()).toEqual([]);
      await routeAll(at(2));
      const [candidate] = await store.escalationCandidates();
      expect(candidate).toMatchObject({
        incidentId: 'inc-1',
        owner: GROUP,
        since: at(2),
        recordedSteps: new Set(),
      });
      const step = {
        policy: 'checkout-critical',
        step: 0,
        afterMs: 10 * MIN,
        targets: [{ type: 'parent' as const }],
      };
      const record = () =>
        store.recordEscalation(candidate, step, {
          at: at(12),
          summary: 'escalated to acme',
        });
      expect(await record()).toBe(true);
      expect(await record()).toBe(false);
      expect((await store.escalationCandidates())[0].recordedSteps).toEqual(
        new Set([0]),
      );
      const changes = await store.claimChanges({ now: at(13), ...LEASE });
      expect(changes.map(c => [c.kind, c.at, c.escalation])).toEqual([
        ['escalated', at(12), step],
      ]);

      await incidents.acknowledge('inc-1', 'user:default/jo', at(14));
      expect(await store.escalationCandidates()).toEqual([]);
      expect(
        await store.recordEscalation(
          candidate,
          { ...step, step: 1 },
          { at: at(32), summary: 'too late' },
        ),
      ).toBe(false);

      await incidents.resolve('inc-1', 'user:default/jo', at(40));
      await incidents.reopen('inc-1', 'user:default/jo', at(50));
      await routeAll(at(51));
      expect(await store.escalationCandidates()).toMatchObject([
        { incidentId: 'inc-1', since: at(51), recordedSteps: new Set() },
      ]);
    });

    it("routes an incident's changes one after the other", async () => {
      await open('inc-1');
      await incidents.acknowledge('inc-1', 'user:default/jo', at(1));
      // The acknowledgement waits while its opening is unrouted, even if another replica holds it.
      const first = await store.claimChanges({ now: at(2), ...LEASE });
      expect(first.map(c => c.kind)).toEqual(['opened']);
      expect(await store.claimChanges({ now: at(2), ...LEASE })).toEqual([]);
      await store.recordRoute(first[0], [slackTo(first[0])], {
        now: at(2),
        rateLimit: RATE,
      });
      const second = await store.claimChanges({ now: at(2), ...LEASE });
      expect(second.map(c => c.kind)).toEqual(['acknowledged']);
    });

    it('keeps a message about an incident behind its earlier one held for a digest', async () => {
      await open('inc-1');
      await incidents.resolve('inc-1', 'user:default/jo', at(1));
      const limit = { maxPerWindow: 1, windowMs: 10 * MIN };
      await open('inc-0');
      // inc-0's message uses up the limit, so inc-1's opening is held.
      const openings = await store.claimChanges({ now: at(2), ...LEASE });
      for (const id of ['inc-0', 'inc-1']) {
        const change = openings.find(c => c.incidentId === id)!;
        await store.recordRoute(change, [slackTo(change)], {
          now: at(2),
          rateLimit: limit,
        });
      }
      // Its resolve, routed once the window moved on, is under the limit — and still waits.
      const [resolved] = await store.claimChanges({ now: at(13), ...LEASE });
      expect(resolved.kind).toBe('resolved');
      const [stored] = await store.recordRoute(resolved, [slackTo(resolved)], {
        now: at(13),
        rateLimit: limit,
      });
      expect(stored.status).toBe('pending');
      const due = await store.claimDeliveries({ now: at(13), ...LEASE });
      expect(due.map(d => [d.kind, d.incidentId])).toEqual([
        ['message', 'inc-0'],
        ['digest', undefined],
      ]);
      const digest = due[1];
      const content = await store.digestContent(digest.id);
      await store.markDelivered(digest, {
        at: at(13),
        covered: content.messageIds,
      });
      const after = await store.claimDeliveries({ now: at(13), ...LEASE });
      expect(after.map(d => d.message?.change)).toEqual(['resolved']);
    });

    it('starts a new digest once one was claimed, and settles only what a digest sent', async () => {
      const limit = { maxPerWindow: 0, windowMs: 10 * MIN };
      await open('inc-1');
      await routeAll(at(1), undefined, limit);
      const [digest] = await store.claimDeliveries({ now: at(10), ...LEASE });
      const content = await store.digestContent(digest.id);
      expect(content.messages.map(m => m.incidentId)).toEqual(['inc-1']);

      // Held while the first digest is being sent: it goes to a new digest, not lost in the first.
      await open('inc-2');
      const [late] = await routeAll(at(10), undefined, limit);
      await store.markDelivered(digest, {
        at: at(10),
        covered: content.messageIds,
      });
      const lateRow = await knex('notification_deliveries')
        .where({ change_id: late.id })
        .first();
      expect(lateRow.status).toBe('held');
      expect(lateRow.digest_id).not.toBe(digest.id);
      const [next] = await store.claimDeliveries({ now: at(20), ...LEASE });
      expect(next.id).toBe(lateRow.digest_id);
    });

    it("ignores an outcome once the sender's claim was taken over", async () => {
      await open('inc-1');
      await routeAll(at(1));
      const [mine] = await store.claimDeliveries({ now: at(1), ...LEASE });
      // The lease ran out; another replica claims and sends it.
      const [theirs] = await store.claimDeliveries({ now: at(4), ...LEASE });
      expect(theirs.id).toBe(mine.id);
      expect(await store.markDelivered(theirs, { at: at(4) })).toBe(true);
      expect(await store.markDead(mine, { at: at(5), error: 'late' })).toBe(
        false,
      );
      expect(
        (await store.listDeliveries({ limit: 10 })).items[0],
      ).toMatchObject({ status: 'delivered', attempts: 1 });
    });

    it('refuses to resend a dead letter that a later message overtook', async () => {
      await open('inc-1');
      await routeAll(at(1));
      const [opened] = await store.claimDeliveries({ now: at(1), ...LEASE });
      await store.markDead(opened, { at: at(1), error: 'HTTP 400' });
      await incidents.resolve('inc-1', 'user:default/jo', at(2));
      await routeAll(at(3));
      const [resolved] = await store.claimDeliveries({ now: at(3), ...LEASE });
      await store.markDelivered(resolved, { at: at(3) });
      await expect(store.retry(opened.id, at(4))).rejects.toThrow(
        /overtaken by a later one/,
      );
    });

    // Only PostgreSQL has row locks; SQLite serializes writers instead.
    if (databaseId === 'POSTGRES_15') {
      it('skips rows another claimer holds locked, without waiting for it', async () => {
        for (let i = 0; i < 4; i++) await open(`inc-${i}`);
        await routeAll(at(1));
        const otherKnex = createKnex(knex.client.config);
        const claimer = await otherKnex.transaction();
        try {
          const locked: string[] = await claimer('notification_deliveries')
            .orderBy('seq')
            .limit(2)
            .forUpdate()
            .pluck('id');
          const claimed = await store.claimDeliveries({ now: at(1), ...LEASE });
          const all = await knex('notification_deliveries').pluck('id');
          expect(claimed.map(d => d.id).sort()).toEqual(
            all.filter(id => !locked.includes(id)).sort(),
          );
        } finally {
          await claimer.rollback();
          await otherKnex.destroy();
        }
      });
    }

    it('lets concurrent senders claim disjoint deliveries', async () => {
      for (let i = 0; i < 12; i++) await open(`inc-${i}`);
      await routeAll(at(1));
      // PostgreSQL: a second connection pool, like a second replica (SQLite has one writer).
      const otherKnex =
        knex.client.config.client === 'pg'
          ? createKnex(knex.client.config)
          : knex;
      try {
        const other = new DatabaseNotificationStore(otherKnex);
        const small = { limit: 3, leaseMs: 2 * MIN };
        const claims = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? other : store).claimDeliveries({ now: at(1), ...small }),
          ),
        );
        const ids = claims.flat().map(d => d.id);
        expect(ids).toHaveLength(12);
        expect(new Set(ids).size).toBe(12);
      } finally {
        if (otherKnex !== knex) await otherKnex.destroy();
      }
    });
  },
);
