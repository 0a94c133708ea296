import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DatabaseAssessmentStore } from '../database/DatabaseAssessmentStore';
import { Assessor, type RiskContextSource } from './assessor';
import { DEFAULT_DEPLOY_RISK_CONFIG } from './config';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A context source over plain data, as the plugin's would be over the other plugins' APIs. */
function source(overrides: Partial<RiskContextSource> = {}): RiskContextSource {
  return {
    entityExists: async ref => ref === 'component:default/cart',
    openIncidents: async () => [],
    deployments: async () => [],
    dependents: async () => [],
    activeRegressions: async () => [],
    policy: async () => ({
      timezone: 'UTC',
      workingHours: { start: 9, end: 18 },
      fridayCutoffHour: 14,
      freezeWindows: [],
    }),
    ...overrides,
  };
}

async function assessor(context: RiskContextSource) {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseAssessmentStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  return {
    store,
    assessor: new Assessor({
      source: context,
      store,
      config: DEFAULT_DEPLOY_RISK_CONFIG,
      clock: () => new Date('2026-12-02T10:00:00.000Z'),
    }),
  };
}

describe('Assessor', () => {
  it('scores a request with its gathered context and stores it', async () => {
    const asked: string[] = [];
    const { assessor: a, store } = await assessor(
      source({
        deployments: async (ref, env, since, now) => {
          asked.push(`${ref} ${env} ${since} ${now}`);
          return [];
        },
        openIncidents: async () => [
          {
            id: 'inc-1',
            entityRef: 'component:default/cart',
            severity: 'critical',
            relation: 'entity',
          },
        ],
      }),
    );
    const stored = await a.assess({
      entityRef: 'cart',
      version: '1.4.0',
      environment: 'production',
    });
    expect(asked).toEqual([
      'component:default/cart production 2026-09-03T10:00:00.000Z 2026-12-02T10:00:00.000Z',
    ]);
    expect(stored.level).toBe('blocked');
    expect(stored.blockedBy).toEqual([
      'a critical incident is open on the entity (inc-1)',
    ]);
    expect(stored.assessedAt).toBe('2026-12-02T10:00:00.000Z');
    expect(await store.get(stored.id)).toEqual(stored);
  });

  it('answers an unknown entity with a NotFoundError naming it', async () => {
    const { assessor: a } = await assessor(source());
    await expect(
      a.assess({
        entityRef: 'component:default/nope',
        version: '1',
        environment: 'prod',
      }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'entity component:default/nope is not in the catalog',
    });
  });

  it('answers bad input with an InputError before reading any context', async () => {
    const { assessor: a } = await assessor(
      source({
        entityExists: async () => {
          throw new Error('must not be called');
        },
      }),
    );
    await expect(
      a.assess({ entityRef: 'cart', version: '', environment: 'prod' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'version must be a non-empty string',
    });
  });
});
