import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type {
  Finding,
  Incident,
  RootCauseCandidate,
} from '@aiops/plugin-aiops-common';
import { at, c, r } from '../service/__testUtils__/builders';
import type { CorrelationDecision } from '../service/types';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const opened: Incident = {
  id: 'inc-1',
  title: 'cart: CartErrors',
  status: 'open',
  severity: 'error',
  primaryEntityRef: c('cart'),
  affectedEntityRefs: [c('cart')],
  correlationKey: `group-key@1|inc-1|${at(0)}`,
  ruleVersions: ['group-key@1'],
  alertIds: ['a1'],
  findings: [],
  rootCauseCandidates: [],
  openedAt: at(0),
  updatedAt: at(0),
};

const ranked = (...scored: Array<[string, number]>): RootCauseCandidate[] =>
  scored.map(([entityRef, score]) => ({
    entityRef,
    score,
    reasons: ['upstream-most'],
    evidence: [{ kind: 'alert', id: 'a1' }],
  }));

/** The topology finding as a refresh writes it: alert count and entities in the words. */
function grouping(alerts: number, entities: string[]): Finding {
  return {
    rule: 'topology-grouping@2',
    summary: `${alerts} alerts on ${
      entities.length
    } related entities grouped around cart: ${entities.slice(1).join('; ')}`,
    evidence: [
      ...entities.map(id => ({ kind: 'entity' as const, id })),
      ...Array.from({ length: alerts }, (_, i) => ({
        kind: 'alert' as const,
        id: `a${i + 1}`,
      })),
    ],
    confidence: 0.8,
  };
}

/**
 * A refresh of the incident as correlation stores it, either way it can come: as decisions
 * alone, or as decisions with the step's snapshot of the incident (which then stores them).
 */
type Refresh = (
  minute: number,
  change: { candidates?: RootCauseCandidate[]; finding?: Finding },
) => Promise<void>;

describe.each(databases.eachSupportedId())(
  'Timeline news in DatabaseIncidentStore on %s',
  databaseId => {
    async function openIncident() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseIncidentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      await store.applyDecisions(
        [{ type: 'open-incident', incident: opened, rule: 'group-key@1' }],
        { now: at(0) },
      );
      return store;
    }

    const refreshes = (
      store: DatabaseIncidentStore,
    ): Array<[string, Refresh]> => {
      let current = opened;
      const decisionsOf = (change: Parameters<Refresh>[1]) => [
        ...(change.candidates
          ? [
              {
                type: 'rank-root-causes' as const,
                incidentId: 'inc-1',
                candidates: change.candidates,
              },
            ]
          : []),
        ...(change.finding
          ? [
              {
                type: 'add-finding' as const,
                incidentId: 'inc-1',
                key: 'topology',
                finding: change.finding,
              },
            ]
          : []),
      ];
      return [
        [
          'decisions',
          async (minute, change) => {
            await store.applyDecisions(decisionsOf(change), {
              now: at(minute),
            });
          },
        ],
        [
          'snapshots',
          async (minute, change) => {
            current = {
              ...current,
              ...(change.candidates && {
                rootCauseCandidates: change.candidates,
              }),
            };
            await store.applyDecisions(
              decisionsOf(change) as CorrelationDecision[],
              {
                now: at(minute),
                snapshots: [
                  {
                    incident: current,
                    ...(change.finding && {
                      findingsByKey: { topology: change.finding },
                    }),
                  },
                ],
              },
            );
          },
        ],
      ];
    };

    async function entries(store: DatabaseIncidentStore, action: string) {
      const details = await store.getIncident('inc-1');
      return details!.timeline
        .filter(entry => entry.action === action)
        .map(entry => [entry.at, entry.summary]);
    }

    it.each(['decisions', 'snapshots'])(
      'records a ranking only when the order of candidates changes (%s)',
      async way => {
        const store = await openIncident();
        const refresh = new Map(refreshes(store)).get(way)!;

        await refresh(1, {
          candidates: ranked([c('cart'), 0.5], [r('redis'), 0.4]),
        });
        // Only the scores move: stored, but not news.
        await refresh(2, {
          candidates: ranked([c('cart'), 0.55], [r('redis'), 0.45]),
        });
        await refresh(3, {
          candidates: ranked([c('cart'), 0.6], [r('redis'), 0.3]),
        });
        expect(await entries(store, 'rank-root-causes')).toEqual([
          [
            at(1),
            `Root causes ranked: ${c('cart')} (0.5), ${r('redis')} (0.4)`,
          ],
        ]);
        expect(
          (await store.getIncident('inc-1'))!.incident.rootCauseCandidates.map(
            candidate => candidate.score,
          ),
        ).toEqual([0.6, 0.3]);

        // The order changes: one entry.
        await refresh(4, {
          candidates: ranked([r('redis'), 0.7], [c('cart'), 0.6]),
        });
        await refresh(5, {
          candidates: ranked([r('redis'), 0.75], [c('cart'), 0.6]),
        });
        expect(await entries(store, 'rank-root-causes')).toEqual([
          [
            at(1),
            `Root causes ranked: ${c('cart')} (0.5), ${r('redis')} (0.4)`,
          ],
          [
            at(4),
            `Root causes ranked: ${r('redis')} (0.7), ${c('cart')} (0.6)`,
          ],
        ]);
      },
    );

    it.each(['decisions', 'snapshots'])(
      'keeps a finding whose counts change from piling up on the timeline (%s)',
      async way => {
        const store = await openIncident();
        const refresh = new Map(refreshes(store)).get(way)!;
        const two = [c('cart'), r('redis')];

        for (let alerts = 2; alerts <= 6; alerts++) {
          await refresh(alerts, { finding: grouping(alerts, two) });
        }
        expect(await entries(store, 'add-finding')).toEqual([
          [at(2), grouping(2, two).summary],
        ]);
        // The finding itself says how things stand now.
        expect((await store.getIncident('inc-1'))!.findings).toEqual([
          expect.objectContaining({
            key: 'topology',
            finding: grouping(6, two),
            updatedAt: at(6),
          }),
        ]);

        // Another entity joins: that is news, once.
        const three = [...two, c('frontend')];
        await refresh(7, { finding: grouping(7, three) });
        await refresh(8, { finding: grouping(8, three) });
        expect(await entries(store, 'add-finding')).toEqual([
          [at(2), grouping(2, two).summary],
          [at(7), grouping(7, three).summary],
        ]);
      },
    );
  },
);
