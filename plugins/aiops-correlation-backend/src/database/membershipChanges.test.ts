import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { Incident } from '@aiops/plugin-aiops-common';
import { at, c, r } from '../service/__testUtils__/builders';
import type { CorrelationDecision } from '../service/types';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

function incident(id: string, entity: string, alertIds: string[]): Incident {
  return {
    id,
    title: `Incident ${id}`,
    status: 'open',
    severity: 'error',
    primaryEntityRef: entity,
    affectedEntityRefs: [entity],
    correlationKey: `group-key@1|${id}|${at(0)}`,
    ruleVersions: ['group-key@1'],
    alertIds,
    findings: [],
    rootCauseCandidates: [],
    openedAt: at(0),
    updatedAt: at(0),
  };
}

const open = (inc: Incident): CorrelationDecision[] => [
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

const move = (
  alertId: string,
  from: string,
  to: string,
): CorrelationDecision => ({
  type: 'move-alert',
  alertId,
  fromIncidentId: from,
  incidentId: to,
  rule: 'membership-review@1',
  reason: 'frontend depends on checkout (1 hop)',
});

describe.each(databases.eachSupportedId())(
  'moves and merges by membership review on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseIncidentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return { knex, store };
    }

    it('moves an alert, shows the move on both timelines, and stays idempotent', async () => {
      const { knex, store } = await createStore();
      await store.applyDecisions(
        [
          ...open(incident('inc-ad', c('ad'), ['ad-1', 'front-1'])),
          ...open(incident('inc-redis', r('redis'), ['redis-1'])),
        ],
        { now: at(0) },
      );
      const step = [move('front-1', 'inc-ad', 'inc-redis')];
      await store.applyDecisions(step, { now: at(1) });
      // A replay of the same step changes nothing.
      await store.applyDecisions(step, { now: at(1) });

      const rows = await knex('incident_alerts')
        .where('alert_id', 'front-1')
        .select('incident_id', 'role', 'joined_rule', 'joined_reason');
      expect(rows).toEqual([
        {
          incident_id: 'inc-redis',
          role: 'member',
          joined_rule: 'membership-review@1',
          joined_reason: 'frontend depends on checkout (1 hop)',
        },
      ]);
      const left = await store.getIncident('inc-ad');
      const joined = await store.getIncident('inc-redis');
      expect(left!.alerts.map(a => a.alertId)).toEqual(['ad-1']);
      expect(joined!.alerts.map(a => a.alertId).sort()).toEqual([
        'front-1',
        'redis-1',
      ]);
      const moves = (entries: Array<{ action: string; summary: string }>) =>
        entries.filter(e => e.action === 'move-alert').map(e => e.summary);
      expect(moves(left!.timeline)).toEqual([
        'Alert front-1 moved to incident inc-redis: frontend depends on checkout (1 hop) (membership-review@1)',
      ]);
      expect(moves(joined!.timeline)).toEqual([
        'Alert front-1 moved here from incident inc-ad: frontend depends on checkout (1 hop) (membership-review@1)',
      ]);
    });

    it('stores what it can of a move into an incident that was never stored, and nothing about that incident', async () => {
      // A replica's state can name an incident the store lacks; a timeline row for it would
      // break the batch's transaction, and every retry of the batch, for good.
      const { knex, store } = await createStore();
      await store.applyDecisions(
        open(incident('inc-x', c('frontend'), ['x-1', 'x-2'])),
        { now: at(0) },
      );
      await store.applyDecisions([move('x-1', 'inc-x', 'inc-missing')], {
        now: at(1),
      });
      expect(
        await knex('incident_alerts')
          .where('alert_id', 'x-1')
          .select('incident_id'),
      ).toEqual([]);
      expect(
        await knex('incident_timeline').where('incident_id', 'inc-missing'),
      ).toEqual([]);
      const left = await store.getIncident('inc-x');
      expect(
        left!.timeline
          .filter(e => e.action === 'move-alert')
          .map(e => e.summary),
      ).toEqual([
        'Alert x-1 moved to incident inc-missing: frontend depends on checkout (1 hop) (membership-review@1)',
      ]);
    });

    it('stores a move into an incident that opens later in the same batch', async () => {
      const { knex, store } = await createStore();
      await store.applyDecisions(
        open(incident('inc-w', c('frontend'), ['w-1'])),
        {
          now: at(0),
        },
      );
      await store.applySteps([
        {
          decisions: [move('w-1', 'inc-w', 'inc-new')],
          context: { now: at(1) },
        },
        {
          decisions: open(incident('inc-new', c('cart'), ['cart-1', 'w-1'])),
          context: { now: at(1) },
        },
      ]);
      expect(
        await knex('incident_alerts')
          .where('alert_id', 'w-1')
          .select('incident_id', 'joined_rule'),
      ).toEqual([
        { incident_id: 'inc-new', joined_rule: 'membership-review@1' },
      ]);
    });

    it('resolves an incident left without alerts as merged into the one that took them', async () => {
      const { store } = await createStore();
      await store.applyDecisions(
        [
          ...open(incident('inc-w', c('frontend'), ['w-1'])),
          ...open(incident('inc-cart', c('cart'), ['cart-1'])),
        ],
        { now: at(0) },
      );
      await store.applyDecisions(
        [
          move('w-1', 'inc-w', 'inc-cart'),
          {
            type: 'merge-incident',
            sourceId: 'inc-w',
            incidentId: 'inc-cart',
            at: at(1),
            rule: 'membership-review@1',
          },
        ],
        { now: at(1) },
      );
      const source = await store.getIncident('inc-w');
      expect(source!.incident).toMatchObject({
        status: 'resolved',
        resolvedAt: at(1),
        mergedInto: 'inc-cart',
      });
      expect(source!.timeline.map(e => e.summary)).toContain(
        'Merged into incident inc-cart: every alert moved there (membership-review@1)',
      );
      const target = await store.getIncident('inc-cart');
      expect(target!.incident.status).toBe('open');
      expect(target!.timeline.map(e => e.summary)).toContain(
        'Incident inc-w merged in: all its alerts moved here (membership-review@1)',
      );
    });
  },
);
