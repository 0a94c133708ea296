import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { IncidentNarrative } from '../service/types';
import { DatabaseNarrativeStore } from './DatabaseNarrativeStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const narrative = (generatedBy: string, passed = true): IncidentNarrative => ({
  summary: `Redis (cart) is failing (${generatedBy})`,
  impact: 'Checkout is affected',
  probableCause: 'Redis (cart)',
  evidence: [{ claim: 'RedisDown since 07:04', evidenceIds: ['alert:a1'] }],
  whatChanged: ['cart 2.790.23 was deployed'],
  suggestedActions: ['Open the cart runbook'],
  generatedBy,
  grounding: passed
    ? { passed: true, rejected: [], rules: ['cited-evidence@1'] }
    : {
        passed: false,
        rejected: [
          {
            section: 'summary',
            text: 'Postgres is failing',
            problems: [{ rule: 'known-entities@1', message: 'postgres' }],
          },
        ],
        rules: ['cited-evidence@1'],
      },
});

describe.each(databases.eachSupportedId())(
  'DatabaseNarrativeStore on %s',
  id => {
    async function store() {
      const knex = await databases.init(id);
      return DatabaseNarrativeStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
    }

    it('keeps every version; the current one is the newest accepted', async () => {
      const narratives = await store();
      const template = await narratives.add({
        ...narrative('template'),
        incidentId: 'inc-1',
        accepted: true,
        inputHash: 'h1',
      });
      const rejected = await narratives.add({
        ...narrative('mistral-small-latest', false),
        incidentId: 'inc-1',
        accepted: false,
        inputHash: 'h1',
      });
      await narratives.add({
        ...narrative('template'),
        incidentId: 'inc-2',
        accepted: true,
        inputHash: 'h9',
      });

      expect(await narratives.current('inc-1')).toEqual(template);
      expect(template).toMatchObject({
        incidentId: 'inc-1',
        generatedBy: 'template',
        evidence: [
          { claim: 'RedisDown since 07:04', evidenceIds: ['alert:a1'] },
        ],
        accepted: true,
      });
      const history = await narratives.history('inc-1', 10);
      expect(history.map(n => n.id)).toEqual([rejected.id, template.id]);
      expect(history[0].grounding.rejected[0].problems[0].rule).toBe(
        'known-entities@1',
      );
      expect(await narratives.current('inc-unknown')).toBeUndefined();

      const grounded = await narratives.add({
        ...narrative('mistral-small-latest'),
        incidentId: 'inc-1',
        accepted: true,
        inputHash: 'h1',
      });
      expect((await narratives.current('inc-1'))?.id).toBe(grounded.id);
    });

    it('finds what was written from the same facts, by the template or a model', async () => {
      const narratives = await store();
      const template = await narratives.add({
        ...narrative('template'),
        incidentId: 'inc-1',
        accepted: true,
        inputHash: 'h1',
      });
      expect(await narratives.findByInput('inc-1', 'h1', 'template')).toEqual(
        template,
      );
      expect(
        await narratives.findByInput('inc-1', 'h1', 'model'),
      ).toBeUndefined();
      expect(
        await narratives.findByInput('inc-1', 'h2', 'template'),
      ).toBeUndefined();
    });

    it('debounces: the first schedule sets the time, and one replica claims it', async () => {
      const narratives = await store();
      await narratives.schedule('inc-1', 1000);
      await narratives.schedule('inc-1', 5000);
      await narratives.schedule('inc-2', 2000);
      expect(await narratives.due(999, 10)).toEqual([]);
      expect(await narratives.due(2000, 10)).toEqual(['inc-1', 'inc-2']);
      expect(await narratives.claim('inc-1')).toBe(true);
      expect(await narratives.claim('inc-1')).toBe(false);
      expect(await narratives.due(10_000, 10)).toEqual(['inc-2']);
    });
  },
);
