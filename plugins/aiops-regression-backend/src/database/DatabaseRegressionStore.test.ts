import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DatabaseRegressionStore } from './DatabaseRegressionStore';
import { migrationsDir } from './migrate';
import type { RegressionCandidate } from './RegressionStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const now = new Date('2026-12-03T12:00:00.000Z');
const MINUTE = 60_000;
const TOLERANCE = { toleranceMs: 15 * MINUTE, now };

const latencyStep = (
  overrides: Partial<RegressionCandidate> = {},
): RegressionCandidate => ({
  entityRef: 'component:default/cart',
  metric: 'latency_p99_ms',
  direction: 'increase',
  changeAt: '2026-12-03T10:00:00.000Z',
  before: { mean: 120, n: 600 },
  after: { mean: 480, n: 120 },
  relativeChange: 3,
  pValue: 1e-12,
  method: 'e-divisive-t@1',
  ...overrides,
});

const at = (minutesAfterTen: number) =>
  new Date(
    Date.parse('2026-12-03T10:00:00.000Z') + minutesAfterTen * MINUTE,
  ).toISOString();

describe.each(databases.eachSupportedId())(
  'DatabaseRegressionStore on %s',
  id => {
    async function store() {
      const knex = await databases.init(id);
      return DatabaseRegressionStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
    }

    it('stores a regression as active with all its fields', async () => {
      const regressions = await store();
      const { regression, created } = await regressions.raise(
        latencyStep({ deploymentId: 'deploy-7', method: 'welch@1' }),
        TOLERANCE,
      );
      expect(created).toBe(true);
      expect(regression).toEqual({
        ...latencyStep({ deploymentId: 'deploy-7', method: 'welch@1' }),
        id: expect.any(String),
        status: 'active',
        detectedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
      expect(await regressions.get(regression.id)).toEqual(regression);
      expect(await regressions.get('nope')).toBeUndefined();
    });

    it('keeps a null relative change (a level of 0 before)', async () => {
      const regressions = await store();
      const { regression } = await regressions.raise(
        latencyStep({
          metric: 'error_rate',
          before: { mean: 0, n: 60 },
          relativeChange: null,
        }),
        TOLERANCE,
      );
      expect((await regressions.get(regression.id))?.relativeChange).toBe(null);
    });

    it('does not raise a dismissed change again: same entity, metric, direction, change within the tolerance', async () => {
      const regressions = await store();
      const first = await regressions.raise(latencyStep(), TOLERANCE);
      const dismissed = await regressions.setStatus(
        first.regression.id,
        'dismissed',
        { by: 'user:default/jo', now },
      );
      expect(dismissed).toMatchObject({
        status: 'dismissed',
        statusBy: 'user:default/jo',
      });

      for (const minutes of [-15, -3, 4, 15]) {
        const again = await regressions.raise(
          latencyStep({ changeAt: at(minutes) }),
          TOLERANCE,
        );
        expect(again).toEqual({
          created: false,
          regression: { ...first.regression, ...dismissed },
        });
      }
      // Another change: later than the tolerance, the other way, another metric or entity.
      const others = [
        latencyStep({ changeAt: at(16) }),
        latencyStep({ changeAt: at(-16) }),
        latencyStep({ direction: 'decrease' }),
        latencyStep({ metric: 'error_rate' }),
        latencyStep({ entityRef: 'component:default/checkout' }),
      ];
      for (const other of others) {
        expect((await regressions.raise(other, TOLERANCE)).created).toBe(true);
      }
      expect(await regressions.list({})).toHaveLength(6);
    });

    it('lists by entity and status, newest change first', async () => {
      const regressions = await store();
      const a = await regressions.raise(
        latencyStep({ changeAt: at(0) }),
        TOLERANCE,
      );
      const b = await regressions.raise(
        latencyStep({ changeAt: at(60) }),
        TOLERANCE,
      );
      const c = await regressions.raise(
        latencyStep({ entityRef: 'component:default/ad', changeAt: at(30) }),
        TOLERANCE,
      );
      await regressions.setStatus(a.regression.id, 'acknowledged', { now });

      const ids = (list: { id: string }[]) => list.map(r => r.id);
      expect(ids(await regressions.list({}))).toEqual([
        b.regression.id,
        c.regression.id,
        a.regression.id,
      ]);
      expect(
        ids(await regressions.list({ entityRef: 'component:default/cart' })),
      ).toEqual([b.regression.id, a.regression.id]);
      expect(ids(await regressions.list({ status: ['active'] }))).toEqual([
        b.regression.id,
        c.regression.id,
      ]);
      expect(
        ids(
          await regressions.list({
            entityRef: 'component:default/cart',
            status: ['acknowledged', 'dismissed'],
          }),
        ),
      ).toEqual([a.regression.id]);
      expect(await regressions.list({ limit: 1 })).toHaveLength(1);
      expect(
        await regressions.setStatus('nope', 'dismissed', { now }),
      ).toBeUndefined();
    });

    it('keeps the last run of each entity with its failures', async () => {
      const regressions = await store();
      await regressions.recordRun({
        entityRef: 'component:default/cart',
        lastRunAt: '2026-12-03T11:00:00.000Z',
        ok: false,
        failures: [{ metric: 'cpu_utilization', reason: 'no data' }],
        regressionsRaised: 1,
      });
      await regressions.recordRun({
        entityRef: 'component:default/ad',
        lastRunAt: '2026-12-03T11:00:00.000Z',
        ok: true,
        failures: [],
        regressionsRaised: 0,
      });
      // A later run replaces the entity's record.
      await regressions.recordRun({
        entityRef: 'component:default/cart',
        lastRunAt: '2026-12-03T11:05:00.000Z',
        ok: false,
        failures: [{ metric: 'latency_p95_ms', reason: 'timeout' }],
        regressionsRaised: 0,
      });
      expect(await regressions.runs()).toEqual([
        {
          entityRef: 'component:default/ad',
          lastRunAt: '2026-12-03T11:00:00.000Z',
          ok: true,
          failures: [],
          regressionsRaised: 0,
        },
        {
          entityRef: 'component:default/cart',
          lastRunAt: '2026-12-03T11:05:00.000Z',
          ok: false,
          failures: [{ metric: 'latency_p95_ms', reason: 'timeout' }],
          regressionsRaised: 0,
        },
      ]);
      expect(await regressions.runs('component:default/ad')).toHaveLength(1);
    });

    it('migrates down and up again', async () => {
      const knex = await databases.init(id);
      await knex.migrate.latest({ directory: migrationsDir });
      await knex.migrate.rollback({ directory: migrationsDir }, true);
      expect(await knex.schema.hasTable('regressions')).toBe(false);
      expect(await knex.schema.hasTable('regression_entity_runs')).toBe(false);
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex('regressions')).toEqual([]);
    });
  },
);
