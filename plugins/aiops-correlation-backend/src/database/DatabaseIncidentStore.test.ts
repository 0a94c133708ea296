import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { Finding, Incident } from '@aiops/plugin-aiops-common';
import { knex as createKnex, type Knex } from 'knex';
import { alert, at, c, r, shopGraph } from '../service/__testUtils__/builders';
import { correlate, emptyCorrelationState } from '../service/correlate';
import { correlationConfig } from '../service/config';
import type {
  CorrelationDecision,
  CorrelationEvent,
  CorrelationState,
} from '../service/types';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

function incident(id: string, overrides: Partial<Incident> = {}): Incident {
  return {
    id,
    title: `Incident ${id}`,
    status: 'open',
    severity: 'error',
    primaryEntityRef: c('cart'),
    affectedEntityRefs: [c('cart')],
    owner: 'group:default/checkout',
    system: 'system:default/shop',
    correlationKey: `group-key@1|${id}|${at(0)}`,
    ruleVersions: ['group-key@1'],
    alertIds: ['a1'],
    findings: [],
    rootCauseCandidates: [],
    openedAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

const finding = (summary: string): Finding => ({
  rule: 'root-cause@1',
  summary,
  evidence: [{ kind: 'alert', id: 'a1' }],
  confidence: 0.7,
});

function openSteps(inc: Incident): CorrelationDecision[] {
  return [
    { type: 'open-incident', incident: inc, rule: 'group-key@1' },
    ...inc.alertIds.map(
      (alertId): CorrelationDecision => ({
        type: 'attach-alert',
        incidentId: inc.id,
        alertId,
        rule: 'group-key@1',
        reason: 'same group key',
      }),
    ),
  ];
}

async function tableCounts(knex: Knex) {
  const counts: Record<string, number> = {};
  for (const table of [
    'incidents',
    'incident_alerts',
    'incident_findings',
    'incident_timeline',
    'incident_entities',
  ]) {
    const [{ n }] = await knex(table).count({ n: '*' });
    counts[table] = Number(n);
  }
  return counts;
}

/** Opens an incident at minute `opened`, then acknowledges and resolves it at the given minutes. */
async function seed(
  store: DatabaseIncidentStore,
  id: string,
  lifecycle: { opened: number; acknowledged?: number; resolved?: number },
  overrides: Partial<Incident> = {},
) {
  const openedAt = at(lifecycle.opened);
  await store.applyDecisions(
    openSteps(incident(id, { openedAt, updatedAt: openedAt, ...overrides })),
    {
      now: openedAt,
    },
  );
  if (lifecycle.acknowledged !== undefined) {
    await store.acknowledge(id, 'user:default/ann', at(lifecycle.acknowledged));
  }
  if (lifecycle.resolved !== undefined) {
    await store.resolve(id, 'user:default/ann', at(lifecycle.resolved));
  }
}

const MINUTE = 60_000;

describe.each(databases.eachSupportedId())(
  'DatabaseIncidentStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseIncidentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return { knex, store };
    }

    it('round-trips open, attach, suppress, findings, ranking and timeline', async () => {
      const { store } = await createStore();
      const inc = incident('inc-1', { alertIds: ['a1'] });
      const first = await store.applyDecisions(openSteps(inc), { now: at(0) });
      expect(first).toEqual({ opened: ['inc-1'], redirected: {}, skipped: 0 });

      await store.applyDecisions(
        [
          {
            type: 'attach-alert',
            incidentId: 'inc-1',
            alertId: 'a2',
            rule: 'topology-grouping@1',
            reason: 'depends-on cart',
          },
          {
            type: 'suppress-alert',
            incidentId: 'inc-1',
            alertId: 'a2',
            suppression: {
              reason: 'symptom-of-root',
              by: { alertId: 'a1' },
              rule: 'inhibition@1',
            },
          },
          {
            type: 'add-finding',
            incidentId: 'inc-1',
            key: 'root-cause',
            finding: finding('cart is the root'),
          },
          {
            type: 'rank-root-causes',
            incidentId: 'inc-1',
            candidates: [
              {
                entityRef: c('cart'),
                score: 0.9,
                reasons: ['deepest'],
                evidence: [{ kind: 'alert', id: 'a1' }],
              },
            ],
          },
          {
            type: 'hold',
            alertId: 'x',
            incidentId: 'pending',
            reason: 'group-wait',
          },
          {
            type: 'suppress-alert',
            alertId: 'silenced',
            suppression: {
              reason: 'silenced',
              by: { silenceId: 's' },
              rule: 'silence@1',
            },
          },
        ],
        {
          now: at(1),
          snapshots: [
            {
              incident: {
                ...inc,
                title: 'cart: broken (+1 related alert)',
                severity: 'critical',
                affectedEntityRefs: [c('cart'), c('checkout')],
              },
            },
          ],
        },
      );
      // The same subject key replaces the finding.
      await store.applyDecisions(
        [
          {
            type: 'add-finding',
            incidentId: 'inc-1',
            key: 'root-cause',
            finding: finding('cart is really the root'),
          },
        ],
        { now: at(2) },
      );

      const details = await store.getIncident('inc-1');
      expect(details?.incident).toMatchObject({
        id: 'inc-1',
        title: 'cart: broken (+1 related alert)',
        severity: 'critical',
        status: 'open',
        alertIds: ['a1', 'a2'],
        affectedEntityRefs: [c('cart'), c('checkout')],
        ruleVersions: ['group-key@1'],
        openedAt: at(0),
        updatedAt: at(2),
        findings: [finding('cart is really the root')],
        rootCauseCandidates: [
          expect.objectContaining({ entityRef: c('cart'), score: 0.9 }),
        ],
      });
      expect(details?.alerts).toEqual([
        {
          alertId: 'a1',
          role: 'member',
          joinedBy: { rule: 'group-key@1', reason: 'same group key' },
          suppression: undefined,
          attachedAt: at(0),
        },
        {
          alertId: 'a2',
          role: 'suppressed',
          joinedBy: { rule: 'topology-grouping@1', reason: 'depends-on cart' },
          suppression: {
            reason: 'symptom-of-root',
            by: { alertId: 'a1' },
            rule: 'inhibition@1',
          },
          attachedAt: at(1),
        },
      ]);
      expect(details?.findings).toEqual([
        {
          key: 'root-cause',
          finding: finding('cart is really the root'),
          updatedAt: at(2),
        },
      ]);
      expect(
        details?.timeline.map(e => [e.action, e.kind, e.at, e.actor]),
      ).toEqual([
        ['open-incident', 'status', at(0), 'system'],
        ['attach-alert', 'alert', at(0), 'system'],
        ['attach-alert', 'alert', at(1), 'system'],
        ['suppress-alert', 'alert', at(1), 'system'],
        ['add-finding', 'finding', at(1), 'system'],
        ['rank-root-causes', 'finding', at(1), 'system'],
        // The snapshot raised the severity from error to critical.
        ['raise-severity', 'status', at(1), 'system'],
        ['add-finding', 'finding', at(2), 'system'],
      ]);
      expect(details?.timeline[3].evidence).toEqual([
        { kind: 'alert', id: 'a2' },
        { kind: 'alert', id: 'a1' },
      ]);
      // The entity filter sees affected entities, not only the primary one.
      expect(
        (
          await store.listIncidents({ limit: 10, entityRef: c('checkout') })
        ).items.map(i => i.id),
      ).toEqual(['inc-1']);

      await store.applyDecisions(
        [{ type: 'unsuppress-alert', incidentId: 'inc-1', alertId: 'a2' }],
        { now: at(3) },
      );
      expect((await store.getIncident('inc-1'))?.alerts[1]).toMatchObject({
        role: 'member',
        suppression: undefined,
      });
      expect(await store.getIncident('missing')).toBeUndefined();
    });

    it('stores a ranking that comes with its snapshot in the same update, once', async () => {
      const { store } = await createStore();
      const inc = incident('inc-1', { alertIds: ['a1'] });
      await store.applyDecisions(openSteps(inc), { now: at(0) });
      const candidates = [
        {
          entityRef: c('cart'),
          score: 0.9,
          reasons: ['deepest'],
          evidence: [{ kind: 'alert' as const, id: 'a1' }],
        },
      ];
      const decisions: CorrelationDecision[] = [
        { type: 'rank-root-causes', incidentId: 'inc-1', candidates },
      ];
      const snapshots = [
        { incident: { ...inc, rootCauseCandidates: candidates } },
      ];
      await store.applyDecisions(decisions, { now: at(1), snapshots });
      // Replayed later, with or without the snapshot: the same entry, recorded once.
      await store.applyDecisions(decisions, { now: at(2), snapshots });
      await store.applyDecisions(decisions, { now: at(3) });
      const details = await store.getIncident('inc-1');
      expect(details?.incident.rootCauseCandidates).toEqual(candidates);
      expect(
        details?.timeline
          .filter(e => e.action === 'rank-root-causes')
          .map(e => [e.at, e.summary]),
      ).toEqual([[at(1), 'Root causes ranked: component:default/cart (0.9)']]);
    });

    it('changes nothing when the same decisions are applied again', async () => {
      const { knex, store } = await createStore();
      const inc = incident('inc-1', { alertIds: ['a1', 'a2'] });
      const decisions: CorrelationDecision[] = [
        ...openSteps(inc),
        {
          type: 'add-finding',
          incidentId: 'inc-1',
          key: 'k',
          finding: finding('f'),
        },
        {
          type: 'suppress-alert',
          incidentId: 'inc-1',
          alertId: 'a2',
          suppression: {
            reason: 'inhibited-by-critical',
            by: { alertId: 'a1' },
            rule: 'inhibition@1',
          },
        },
        { type: 'rank-root-causes', incidentId: 'inc-1', candidates: [] },
        {
          type: 'resolve-incident',
          incidentId: 'inc-1',
          at: at(5),
          rule: 'auto-resolve@1',
        },
      ];
      const first = await store.applyDecisions(decisions, { now: at(5) });
      const counts = await tableCounts(knex);
      const details = await store.getIncident('inc-1');

      const second = await store.applyDecisions(decisions, { now: at(5) });
      // Even a replay stamped later adds nothing: only effective changes are recorded.
      await store.applyDecisions(decisions, { now: at(9) });

      expect(first.opened).toEqual(['inc-1']);
      expect(second.opened).toEqual([]);
      expect(await tableCounts(knex)).toEqual(counts);
      expect(counts).toMatchObject({
        incidents: 1,
        incident_alerts: 2,
        incident_findings: 1,
      });
      expect(await store.getIncident('inc-1')).toEqual(details);
      expect(details?.incident).toMatchObject({
        status: 'resolved',
        resolvedAt: at(5),
      });
    });

    it('creates one incident when two store instances open the same key concurrently', async () => {
      const { knex, store } = await createStore();
      // PostgreSQL: a second connection pool to the same database, like a second replica.
      const otherKnex =
        knex.client.config.client === 'pg'
          ? createKnex(knex.client.config)
          : knex;
      try {
        const other = new DatabaseIncidentStore(otherKnex);
        const inc = incident('inc-race', { alertIds: ['a1', 'a2'] });
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? other : store).applyDecisions(
              [
                ...openSteps(inc),
                {
                  type: 'add-finding',
                  incidentId: inc.id,
                  key: 'k',
                  finding: finding('f'),
                },
              ],
              { now: at(0) },
            ),
          ),
        );
        expect(results.flatMap(res => res.opened)).toEqual(['inc-race']);
        expect(await tableCounts(knex)).toMatchObject({
          incidents: 1,
          incident_alerts: 2,
          incident_findings: 1,
          // open, two attaches, one finding
          incident_timeline: 4,
        });

        // A different id under the same open correlation key is redirected to the stored one.
        const twin = incident('inc-twin', {
          correlationKey: inc.correlationKey,
          alertIds: ['a3'],
        });
        const redirected = await Promise.all([
          other.applyDecisions(openSteps(twin), { now: at(1) }),
          store.applyDecisions(openSteps(twin), { now: at(1) }),
        ]);
        expect(redirected.map(res => res.redirected)).toEqual([
          { 'inc-twin': 'inc-race' },
          { 'inc-twin': 'inc-race' },
        ]);
        expect(
          (await store.getIncident('inc-race'))?.incident.alertIds,
        ).toEqual(['a1', 'a2', 'a3']);
        expect(await tableCounts(knex)).toMatchObject({
          incidents: 1,
          incident_alerts: 3,
        });
      } finally {
        if (otherKnex !== knex) await otherKnex.destroy();
      }
    });

    it('acknowledges, resolves, reopens and notes with their errors', async () => {
      const { store } = await createStore();
      await store.applyDecisions(openSteps(incident('inc-1')), { now: at(0) });

      expect(
        await store.acknowledge('inc-1', 'user:default/ann', at(1)),
      ).toMatchObject({
        status: 'acknowledged',
        acknowledgedAt: at(1),
        updatedAt: at(1),
      });
      // Acknowledging again is a no-op.
      await store.acknowledge('inc-1', 'user:default/bob', at(2));
      const note = await store.addNote(
        'inc-1',
        'user:default/ann',
        'rolling back cart',
        at(3),
      );
      expect(note).toMatchObject({
        kind: 'note',
        action: 'note',
        summary: 'rolling back cart',
        actor: 'user:default/ann',
        at: at(3),
      });

      expect(
        await store.resolve('inc-1', 'user:default/ann', at(4)),
      ).toMatchObject({ status: 'resolved', resolvedAt: at(4) });
      await store.resolve('inc-1', 'user:default/ann', at(5));
      await expect(
        store.acknowledge('inc-1', 'user:default/ann', at(6)),
      ).rejects.toThrow(ConflictError);

      // While resolved, the correlation key is free: a new incident with it can open.
      const successor = incident('inc-2', {
        correlationKey: incident('inc-1').correlationKey,
      });
      expect(
        (await store.applyDecisions(openSteps(successor), { now: at(6) }))
          .opened,
      ).toEqual(['inc-2']);
      // … and the old one cannot reopen over it.
      await expect(
        store.reopen('inc-1', 'user:default/ann', at(7)),
      ).rejects.toThrow(ConflictError);
      await store.resolve('inc-2', 'user:default/ann', at(7));

      expect(
        await store.reopen('inc-1', 'user:default/ann', at(8)),
      ).toMatchObject({
        status: 'open',
        resolvedAt: undefined,
        acknowledgedAt: undefined,
      });
      // Reopening an open incident is a no-op.
      await store.reopen('inc-1', 'user:default/ann', at(9));

      const timeline = (await store.getIncident('inc-1'))!.timeline;
      expect(timeline.map(e => [e.action, e.actor])).toEqual([
        ['open-incident', 'system'],
        ['attach-alert', 'system'],
        ['acknowledge', 'user:default/ann'],
        ['note', 'user:default/ann'],
        ['resolve', 'user:default/ann'],
        ['reopen', 'user:default/ann'],
      ]);

      for (const call of [
        () => store.acknowledge('nope', 'u', at(1)),
        () => store.resolve('nope', 'u', at(1)),
        () => store.reopen('nope', 'u', at(1)),
        () => store.addNote('nope', 'u', 'x', at(1)),
      ]) {
        await expect(call()).rejects.toThrow(NotFoundError);
      }
      await expect(
        store.acknowledge('inc-1', 'u', 'not a time'),
      ).rejects.toThrow(InputError);
    });

    it('merges an incident into another', async () => {
      const { knex, store } = await createStore();
      const ann = 'user:default/ann';
      await store.applyDecisions(
        [
          ...openSteps(incident('target', { alertIds: ['a1', 'a2'] })),
          {
            type: 'add-finding',
            incidentId: 'target',
            key: 'root-cause',
            finding: finding('cart'),
          },
        ],
        { now: at(0) },
      );
      await store.applyDecisions(
        [
          ...openSteps(
            incident('source', {
              severity: 'critical',
              primaryEntityRef: c('checkout'),
              affectedEntityRefs: [c('checkout'), c('frontend')],
              alertIds: ['a2', 'a3'],
              openedAt: at(1),
              updatedAt: at(1),
            }),
          ),
          {
            type: 'add-finding',
            incidentId: 'source',
            key: 'root-cause',
            finding: finding('checkout'),
          },
          {
            type: 'add-finding',
            incidentId: 'source',
            key: 'deploy:d1',
            finding: finding('deployed'),
          },
        ],
        { now: at(1) },
      );

      const merged = await store.merge('source', 'target', ann, at(5));
      expect(merged).toMatchObject({
        id: 'target',
        status: 'open',
        severity: 'critical',
        alertIds: ['a1', 'a2', 'a3'],
        affectedEntityRefs: [c('cart'), c('checkout'), c('frontend')],
        updatedAt: at(5),
      });
      expect(merged.mergedInto).toBeUndefined();

      const target = (await store.getIncident('target'))!;
      expect(target.incident).toEqual(merged);
      // The target's own row of a shared alert wins; a moved one keeps how it joined.
      expect(
        target.alerts.map(a => [a.alertId, a.attachedAt, a.joinedBy?.reason]),
      ).toEqual([
        ['a1', at(0), 'same group key'],
        ['a2', at(0), 'same group key'],
        ['a3', at(1), 'same group key'],
      ]);
      expect(target.findings.map(f => [f.key, f.finding.summary])).toEqual([
        ['root-cause', 'cart'],
        ['merged:source:root-cause', 'checkout'],
        ['merged:source:deploy:d1', 'deployed'],
      ]);
      expect(target.timeline[target.timeline.length - 1]).toMatchObject({
        action: 'merge',
        kind: 'status',
        at: at(5),
        actor: ann,
        summary: `Incident source merged in by ${ann}`,
      });

      const source = (await store.getIncident('source'))!;
      expect(source.incident).toMatchObject({
        status: 'resolved',
        resolvedAt: at(5),
        mergedInto: 'target',
        alertIds: [],
        updatedAt: at(5),
      });
      expect(source.findings).toHaveLength(2);
      expect(source.timeline[source.timeline.length - 1]).toMatchObject({
        action: 'merge',
        kind: 'status',
        at: at(5),
        actor: ann,
        summary: `Merged into incident target by ${ann}`,
      });

      // The entity filter finds the target through the source's entities.
      expect(
        (await store.listIncidents({ limit: 10, entityRef: c('frontend') }))
          .items,
      ).toEqual([
        expect.objectContaining({ id: 'source', mergedInto: 'target' }),
        expect.objectContaining({ id: 'target' }),
      ]);
      expect(await store.statuses(['source', 'target', 'unknown'])).toEqual({
        source: { status: 'resolved', resolvedAt: at(5), mergedInto: 'target' },
        target: { status: 'open' },
      });

      // Repeating the merge changes nothing.
      const counts = await tableCounts(knex);
      expect(await store.merge('source', 'target', ann, at(5))).toEqual(merged);
      expect(
        await store.merge('source', 'target', 'user:default/bob', at(9)),
      ).toEqual(merged);
      expect(await tableCounts(knex)).toEqual(counts);

      // A merged incident stays resolved and merged.
      await expect(store.reopen('source', ann, at(6))).rejects.toThrow(
        ConflictError,
      );
      await store.applyDecisions(
        [
          {
            type: 'reopen-incident',
            incidentId: 'source',
            alertId: 'a3',
            at: at(6),
            rule: 'flapping@1',
          },
        ],
        { now: at(6) },
      );
      expect((await store.getIncident('source'))?.incident.status).toBe(
        'resolved',
      );
      await seed(store, 'other', { opened: 2 });
      await expect(store.merge('source', 'other', ann, at(6))).rejects.toThrow(
        ConflictError,
      );

      // A second source merged at the same time by the same actor gets its own entry.
      await seed(store, 'second', { opened: 3 }, { alertIds: ['b1'] });
      await store.merge('second', 'target', ann, at(5));
      expect(
        (await store.getIncident('target'))!.timeline
          .filter(e => e.action === 'merge')
          .map(e => e.summary),
      ).toEqual([
        `Incident source merged in by ${ann}`,
        `Incident second merged in by ${ann}`,
      ]);

      await expect(store.merge('target', 'target', ann, at(7))).rejects.toThrow(
        InputError,
      );
      await expect(
        store.merge('missing', 'target', ann, at(7)),
      ).rejects.toThrow(NotFoundError);
      await expect(store.merge('other', 'missing', ann, at(7))).rejects.toThrow(
        NotFoundError,
      );
      await store.resolve('other', ann, at(7));
      await expect(store.merge('target', 'other', ann, at(8))).rejects.toThrow(
        ConflictError,
      );
      expect((await store.getIncident('target'))?.incident.status).toBe('open');
    });

    it('applies core resolve and reopen decisions, never undoing a later resolve', async () => {
      const { store } = await createStore();
      await store.applyDecisions(openSteps(incident('inc-1')), { now: at(0) });
      const reopen: CorrelationDecision = {
        type: 'reopen-incident',
        incidentId: 'inc-1',
        alertId: 'a1',
        at: at(3),
        rule: 'flapping@1',
      };
      await store.applyDecisions(
        [
          {
            type: 'resolve-incident',
            incidentId: 'inc-1',
            at: at(2),
            rule: 'auto-resolve@1',
          },
        ],
        { now: at(2) },
      );
      await store.applyDecisions([reopen], { now: at(3) });
      expect((await store.getIncident('inc-1'))?.incident.status).toBe('open');
      await store.resolve('inc-1', 'user:default/ann', at(4));
      // A stale replay of the reopen does not undo the later resolve.
      await store.applyDecisions([reopen], { now: at(3) });
      expect((await store.getIncident('inc-1'))?.incident).toMatchObject({
        status: 'resolved',
        resolvedAt: at(4),
      });
      // Decisions about unknown incidents are skipped, not failed.
      expect(
        await store.applyDecisions(
          [
            {
              type: 'attach-alert',
              incidentId: 'unknown',
              alertId: 'x',
              rule: 'r',
              reason: '',
            },
          ],
          { now: at(5) },
        ),
      ).toEqual({ opened: [], redirected: {}, skipped: 1 });
    });

    it('pages and filters incidents', async () => {
      const { store } = await createStore();
      const specs = [
        {
          id: 'i0',
          owner: 'group:default/a',
          severity: 'critical',
          entity: c('cart'),
        },
        {
          id: 'i1',
          owner: 'group:default/b',
          severity: 'warning',
          entity: c('ad'),
        },
        {
          id: 'i2',
          owner: 'group:default/a',
          severity: 'error',
          entity: c('cart'),
        },
        {
          id: 'i3',
          owner: 'group:default/b',
          severity: 'critical',
          entity: r('redis'),
        },
        {
          id: 'i4',
          owner: 'group:default/a',
          severity: 'error',
          entity: c('cart'),
        },
      ] as const;
      for (const [i, spec] of specs.entries()) {
        await store.applyDecisions(
          openSteps(
            incident(spec.id, {
              owner: spec.owner,
              severity: spec.severity,
              primaryEntityRef: spec.entity,
              affectedEntityRefs: [spec.entity],
              system: i === 3 ? undefined : 'system:default/shop',
              openedAt: at(i * 10),
              updatedAt: at(i * 10),
            }),
          ),
          { now: at(i * 10) },
        );
      }
      // Two incidents opened at the same instant still page deterministically.
      await store.applyDecisions(
        openSteps(incident('i5', { openedAt: at(40), updatedAt: at(40) })),
        { now: at(40) },
      );
      await store.resolve('i0', 'u', at(5));
      await store.acknowledge('i2', 'u', at(21));

      const ids = async (
        query: Parameters<DatabaseIncidentStore['listIncidents']>[0],
      ) => (await store.listIncidents(query)).items.map(i => i.id);

      const first = await store.listIncidents({ limit: 2 });
      expect(first.items.map(i => i.id)).toEqual(['i5', 'i4']);
      const second = await store.listIncidents({
        limit: 2,
        cursor: first.nextCursor,
      });
      expect(second.items.map(i => i.id)).toEqual(['i3', 'i2']);
      const last = await store.listIncidents({
        limit: 2,
        cursor: second.nextCursor,
      });
      expect(last.items.map(i => i.id)).toEqual(['i1', 'i0']);
      expect(last.nextCursor).toBeUndefined();
      expect(first.items[1]).toMatchObject({ alertIds: ['a1'], findings: [] });

      expect(await ids({ limit: 10, owner: 'group:default/a' })).toEqual([
        'i4',
        'i2',
        'i0',
      ]);
      expect(await ids({ limit: 10, entityRef: c('cart') })).toEqual([
        'i5',
        'i4',
        'i2',
        'i0',
      ]);
      expect(
        await ids({
          limit: 10,
          system: 'system:default/shop',
          severity: 'critical',
        }),
      ).toEqual(['i0']);
      expect(
        await ids({ limit: 10, severity: ['critical', 'warning'] }),
      ).toEqual(['i3', 'i1', 'i0']);
      expect(await ids({ limit: 10, status: 'acknowledged' })).toEqual(['i2']);
      expect(
        await ids({
          limit: 10,
          status: ['open', 'acknowledged'],
          owner: 'group:default/a',
        }),
      ).toEqual(['i4', 'i2']);
      // Opened before minute 25, and not resolved before minute 8.
      expect(await ids({ limit: 10, from: at(8), to: at(25) })).toEqual([
        'i2',
        'i1',
      ]);
      await expect(
        store.listIncidents({ limit: 2, cursor: 'garbage' }),
      ).rejects.toThrow(InputError);
    });

    it('reports the open incidents and response times of an entity', async () => {
      const { store } = await createStore();
      // Opened 10, acknowledged after 5 minutes, resolved after 30.
      await seed(store, 'h1', { opened: 10, acknowledged: 15, resolved: 40 });
      // Cart is affected, not primary. Acknowledged after 15 minutes.
      await seed(
        store,
        'h2',
        { opened: 20, acknowledged: 35 },
        {
          primaryEntityRef: c('checkout'),
          affectedEntityRefs: [c('checkout'), c('cart')],
        },
      );
      await seed(store, 'h3', { opened: 30 }, { severity: 'critical' });
      // Resolved by the merge, not by a fix: counted, but not towards MTTR.
      await seed(store, 'h4', { opened: 50 }, { alertIds: ['a4'] });
      await store.merge('h4', 'h3', 'user:default/ann', at(60));
      // Opened before the window: open, but no response times.
      await seed(store, 'h5', { opened: -30, acknowledged: -25 });
      // Another entity.
      await seed(
        store,
        'h6',
        { opened: 10, acknowledged: 11, resolved: 12 },
        {
          primaryEntityRef: c('ad'),
          affectedEntityRefs: [c('ad')],
        },
      );

      const health = await store.entityHealth(c('cart'), {
        from: at(0),
        to: at(120),
      });
      // Most severe first, then newest.
      expect(health.open.map(i => [i.id, i.severity])).toEqual([
        ['h3', 'critical'],
        ['h2', 'error'],
        ['h5', 'error'],
      ]);
      expect(health.open[0]).toMatchObject({ alertIds: ['a1', 'a4'] });
      expect({ ...health, open: undefined }).toEqual({
        incidents: 4,
        mttaMs: 10 * MINUTE,
        mttrMs: 30 * MINUTE,
      });

      expect(
        await store.entityHealth(c('cart'), { from: at(0), to: at(25) }),
      ).toMatchObject({
        incidents: 2,
        mttaMs: 10 * MINUTE,
        mttrMs: 30 * MINUTE,
      });
      const late = await store.entityHealth(c('cart'), {
        from: at(25),
        to: at(120),
      });
      expect(late.incidents).toBe(2);
      expect(late).not.toHaveProperty('mttaMs');
      expect(late).not.toHaveProperty('mttrMs');
      expect(
        await store.entityHealth(c('ad'), { from: at(0), to: at(120) }),
      ).toEqual({
        open: [],
        incidents: 1,
        mttaMs: MINUTE,
        mttrMs: 2 * MINUTE,
      });
      expect(
        await store.entityHealth(c('nothing'), { from: at(0), to: at(120) }),
      ).toEqual({
        open: [],
        incidents: 0,
      });
      await expect(
        store.entityHealth(c('cart'), { from: 'yesterday', to: at(0) }),
      ).rejects.toThrow(InputError);
    });

    it('counts incidents and response times by owner and by system', async () => {
      const { store } = await createStore();
      const window = { from: at(0), to: at(120) };
      expect(await store.stats(window)).toEqual({
        totals: { open: 0, acknowledged: 0, incidents: 0 },
        byOwner: [],
        bySystem: [],
      });

      const [a, b] = ['group:default/a', 'group:default/b'];
      const [shop, payments] = [
        'system:default/shop',
        'system:default/payments',
      ];
      await seed(
        store,
        's1',
        { opened: 10, acknowledged: 15, resolved: 40 },
        { owner: a, system: shop },
      );
      await seed(
        store,
        's2',
        { opened: 20, acknowledged: 35 },
        { owner: a, system: shop },
      );
      await seed(store, 's3', { opened: 30 }, { owner: b, system: undefined });
      await seed(
        store,
        's4',
        { opened: -60 },
        { owner: undefined, system: undefined },
      );
      await seed(
        store,
        's5',
        { opened: 40, resolved: 100 },
        { owner: b, system: payments },
      );
      await seed(
        store,
        's6',
        { opened: 50 },
        { owner: a, system: shop, alertIds: ['a6'] },
      );
      await store.merge('s6', 's2', 'user:default/ann', at(55));
      await seed(store, 's7', { opened: 60 }, { owner: b, system: payments });

      expect(await store.stats(window)).toEqual({
        // MTTA over s1 (5) and s2 (15); MTTR over s1 (30) and s5 (60), not the merged s6.
        totals: {
          open: 3,
          acknowledged: 1,
          incidents: 6,
          mttaMs: 10 * MINUTE,
          mttrMs: 45 * MINUTE,
        },
        byOwner: [
          {
            ref: b,
            open: 2,
            acknowledged: 0,
            incidents: 3,
            mttrMs: 60 * MINUTE,
          },
          {
            ref: a,
            open: 0,
            acknowledged: 1,
            incidents: 3,
            mttaMs: 10 * MINUTE,
            mttrMs: 30 * MINUTE,
          },
          // s4 opened before the window.
          { ref: null, open: 1, acknowledged: 0, incidents: 0 },
        ],
        bySystem: [
          { ref: null, open: 2, acknowledged: 0, incidents: 1 },
          {
            ref: payments,
            open: 1,
            acknowledged: 0,
            incidents: 2,
            mttrMs: 60 * MINUTE,
          },
          {
            ref: shop,
            open: 0,
            acknowledged: 1,
            incidents: 3,
            mttaMs: 10 * MINUTE,
            mttrMs: 30 * MINUTE,
          },
        ],
      });

      // Counts are current; response times only cover incidents opened in the window.
      expect((await store.stats({ from: at(45), to: at(120) })).totals).toEqual(
        {
          open: 3,
          acknowledged: 1,
          incidents: 2,
        },
      );
    });

    it('mirrors the incidents of the pure correlation core step by step', async () => {
      const { store } = await createStore();
      const context = {
        graph: shopGraph(),
        config: correlationConfig({}),
        silences: [],
      };
      const events: CorrelationEvent[] = [
        {
          type: 'alert',
          at: at(0),
          alert: alert('front', c('frontend'), { severity: 'warning' }),
        },
        {
          type: 'alert',
          at: at(1),
          alert: alert('check', c('checkout'), { start: 1 }),
        },
        {
          type: 'alert',
          at: at(2),
          alert: alert('cart', c('cart'), { start: 2, severity: 'critical' }),
        },
        {
          type: 'alert',
          at: at(3),
          alert: alert('cart', c('cart'), {
            start: 2,
            end: 3,
            severity: 'critical',
          }),
        },
        {
          type: 'alert',
          at: at(3),
          alert: alert('front', c('frontend'), { severity: 'warning', end: 3 }),
        },
        {
          type: 'alert',
          at: at(3),
          alert: alert('check', c('checkout'), { start: 1, end: 3 }),
        },
        { type: 'tick', at: at(60) },
      ];
      let state: CorrelationState = emptyCorrelationState();
      for (const event of events) {
        const result = correlate(state, event, context);
        state = result.state;
        const snapshots = Object.values(state.incidents);
        // Applying twice (a retry) must not matter.
        await store.applyDecisions(result.decisions, {
          now: event.at,
          snapshots,
        });
        await store.applyDecisions(result.decisions, {
          now: event.at,
          snapshots,
        });
        for (const inc of snapshots) {
          const stored = (await store.getIncident(inc.incident.id))!;
          expect(stored.incident).toMatchObject({
            title: inc.incident.title,
            severity: inc.incident.severity,
            status: inc.incident.status,
            primaryEntityRef: inc.incident.primaryEntityRef,
            owner: inc.incident.owner,
            correlationKey: inc.incident.correlationKey,
            rootCauseCandidates: inc.incident.rootCauseCandidates,
          });
          expect([...stored.incident.alertIds].sort()).toEqual(
            [...inc.incident.alertIds].sort(),
          );
          expect(
            Object.fromEntries(stored.findings.map(f => [f.key, f.finding])),
          ).toEqual(inc.findingsByKey);
        }
      }
      // The frontend warning opened an incident of its own, which the cascade took in
      // (membership review): it is resolved as merged into the one that remains.
      const { items } = await store.listIncidents({ limit: 10 });
      const only = items.find(i => !i.mergedInto)!;
      expect(only).toMatchObject({
        status: 'resolved',
        primaryEntityRef: c('cart'),
      });
      expect([...only.alertIds].sort()).toEqual(['cart', 'check', 'front']);
      expect(items.filter(i => i.mergedInto)).toEqual([
        expect.objectContaining({
          status: 'resolved',
          mergedInto: only.id,
          alertIds: [],
        }),
      ]);
      const timeline = (await store.getIncident(only.id))!.timeline;
      expect(timeline.filter(e => e.action === 'open-incident')).toHaveLength(
        1,
      );
      expect(timeline[timeline.length - 1]).toMatchObject({
        action: 'resolve-incident',
        kind: 'status',
      });
    });
  },
);
