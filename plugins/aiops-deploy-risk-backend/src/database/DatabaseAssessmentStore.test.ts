import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { riskInput } from '../service/__testUtils__/input';
import { DEFAULT_DEPLOY_RISK_CONFIG } from '../service/config';
import { assessRisk } from '../service/score';
import type { NewAssessment } from './AssessmentStore';
import { DatabaseAssessmentStore } from './DatabaseAssessmentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

function assessment(
  assessedAt: string,
  request: Partial<NewAssessment['request']> = {},
): NewAssessment {
  const input = riskInput({
    now: assessedAt,
    request: {
      plannedAt: '2026-12-04T15:00:00.000Z',
      diffStats: {
        filesChanged: 2,
        linesAdded: 40,
        linesDeleted: 2,
        paths: ['db/migrations/1.sql', 'src/a.ts'],
      },
      author: 'user:default/ada',
      ...request,
    },
  });
  const {
    score,
    probability,
    level,
    factors,
    recommendation,
    blockedBy,
    ruleVersions,
  } = assessRisk(input, DEFAULT_DEPLOY_RISK_CONFIG);
  return {
    request: input.request,
    assessedAt,
    score,
    probability,
    level,
    factors,
    recommendation,
    blockedBy,
    ruleVersions,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseAssessmentStore on %s',
  databaseId => {
    async function store() {
      const knex = await databases.init(databaseId);
      return DatabaseAssessmentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
    }

    it('stores an assessment and reads it back whole', async () => {
      const assessments = await store();
      const a = assessment('2026-12-02T10:00:00.000Z');
      const stored = await assessments.insert(a);
      expect(stored).toEqual({ ...a, id: expect.any(String) });
      expect(await assessments.get(stored.id)).toEqual(stored);
      expect(await assessments.get('nope')).toBeUndefined();
    });

    it('lists newest first, by entity, environment and time, with a limit', async () => {
      const assessments = await store();
      await assessments.insert(assessment('2026-12-01T10:00:00.000Z'));
      await assessments.insert(assessment('2026-12-03T10:00:00.000Z'));
      await assessments.insert(assessment('2026-12-02T10:00:00.000Z'));
      await assessments.insert(
        assessment('2026-12-02T11:00:00.000Z', {
          entityRef: 'component:default/web',
        }),
      );
      await assessments.insert(
        assessment('2026-12-02T12:00:00.000Z', { environment: 'staging' }),
      );
      const cart = await assessments.list({
        entityRef: 'component:default/cart',
        environment: 'production',
      });
      expect(cart.map(a => a.assessedAt)).toEqual([
        '2026-12-03T10:00:00.000Z',
        '2026-12-02T10:00:00.000Z',
        '2026-12-01T10:00:00.000Z',
      ]);
      const page = await assessments.list({
        entityRef: 'component:default/cart',
        environment: 'production',
        before: '2026-12-03T10:00:00.000Z',
        since: '2026-12-01T12:00:00.000Z',
      });
      expect(page.map(a => a.assessedAt)).toEqual(['2026-12-02T10:00:00.000Z']);
      expect(await assessments.list({ limit: 2 })).toHaveLength(2);
    });

    it('links a deployment and keeps the first recorded outcome', async () => {
      const assessments = await store();
      const { id } = await assessments.insert(
        assessment('2026-12-02T10:00:00.000Z'),
      );
      expect(await assessments.linkDeployment('nope', 'dep-1')).toBeUndefined();
      await assessments.linkDeployment(id, 'dep-1');
      expect((await assessments.byDeployment('dep-1'))?.id).toBe(id);
      expect(await assessments.byDeployment('dep-2')).toBeUndefined();
      const first = await assessments.recordOutcome(id, {
        outcome: 'failed',
        at: '2026-12-03T10:00:00.000Z',
        reason: 'incident inc-7 opened on component:default/cart',
      });
      expect(first).toMatchObject({
        deploymentId: 'dep-1',
        outcome: 'failed',
        outcomeAt: '2026-12-03T10:00:00.000Z',
        outcomeReason: 'incident inc-7 opened on component:default/cart',
      });
      const again = await assessments.recordOutcome(id, {
        outcome: 'succeeded',
        at: '2026-12-04T10:00:00.000Z',
        reason: 'window closed',
      });
      expect(again).toEqual(first);
    });

    it('lists unresolved assessments since a time, newest first', async () => {
      const assessments = await store();
      const old = await assessments.insert(
        assessment('2026-11-01T10:00:00.000Z'),
      );
      const done = await assessments.insert(
        assessment('2026-12-02T10:00:00.000Z'),
      );
      const open = await assessments.insert(
        assessment('2026-12-02T11:00:00.000Z'),
      );
      await assessments.recordOutcome(done.id, {
        outcome: 'succeeded',
        at: '2026-12-03T10:00:00.000Z',
        reason: 'quiet',
      });
      const ids = (
        await assessments.unresolved({ since: '2026-12-01T00:00:00.000Z' })
      ).map(a => a.id);
      expect(ids).toEqual([open.id]);
      expect(ids).not.toContain(old.id);
      const since = '2026-12-01T00:00:00.000Z';
      expect(await assessments.unresolved({ since, linked: true })).toEqual([]);
      await assessments.linkDeployment(open.id, 'dep-9');
      expect(
        (await assessments.unresolved({ since, linked: true })).map(a => a.id),
      ).toEqual([open.id]);
    });
  },
);
