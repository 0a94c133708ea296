import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { Deployment, Feed } from '@aiops/plugin-aiops-common';
import { DatabaseAssessmentStore } from '../database/DatabaseAssessmentStore';
import type { NewAssessment } from '../database/AssessmentStore';
import { DeploymentLinker } from './DeploymentLinker';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const CART = 'component:default/cart';

const assessment = (assessedAt: string, version: string): NewAssessment => ({
  request: { entityRef: CART, version, environment: 'production' },
  assessedAt,
  score: 10,
  probability: 0.1,
  level: 'low',
  factors: [],
  recommendation: 'Go.',
  blockedBy: [],
  ruleVersions: [],
});

const deployment = (
  id: string,
  version: string,
  startedAt: string,
  entityRef = CART,
): Deployment => ({
  id,
  source: 'generic',
  externalId: id,
  resolution: entityRef
    ? { status: 'resolved', entityRef, matchedBy: 'test' }
    : { status: 'unowned', reason: 'no service' },
  environment: 'production',
  version,
  status: 'succeeded',
  startedAt,
});

describe('DeploymentLinker', () => {
  async function setup(feed: Deployment[]) {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const store = await DatabaseAssessmentStore.create({ database });
    const linker = new DeploymentLinker({
      database: await database.getClient(),
      suite: {
        async deploymentFeed(after, limit): Promise<Feed<Deployment>> {
          const items = feed
            .map((item, i) => ({ item, cursor: String(i + 1) }))
            .filter(({ cursor }) => Number(cursor) > Number(after))
            .slice(0, limit);
          return { items, cursor: items.at(-1)?.cursor ?? after };
        },
      },
      store,
      logger: mockServices.logger.mock(),
    });
    return { store, linker };
  }

  it('links a deployment to the newest unlinked assessment of its version made before it started, once', async () => {
    const feed = [
      deployment('other-version', '2.9.9', '2026-12-02T10:00:00.000Z'),
      deployment('unowned', '3.0.0', '2026-12-02T10:00:00.000Z', ''),
      deployment('d-3', '3.0.0', '2026-12-02T10:00:00.000Z'),
      // The same deployment again (its status changed): nothing more happens.
      deployment('d-3', '3.0.0', '2026-12-02T10:00:00.000Z'),
      // A later deploy of the version takes the newest unlinked assessment before its start.
      deployment('d-3-again', '3.0.0', '2026-12-02T12:00:00.000Z'),
    ];
    const { store, linker } = await setup(feed);
    const older = await store.insert(
      assessment('2026-12-02T08:00:00.000Z', '3.0.0'),
    );
    const newer = await store.insert(
      assessment('2026-12-02T09:00:00.000Z', '3.0.0'),
    );
    const after = await store.insert(
      assessment('2026-12-02T11:00:00.000Z', '3.0.0'),
    );
    await linker.catchUp();
    expect((await store.get(newer.id))?.deploymentId).toBe('d-3');
    // After d-3 started, so it is d-3-again's, the newest before that start.
    expect((await store.get(after.id))?.deploymentId).toBe('d-3-again');
    expect((await store.get(older.id))?.deploymentId).toBeUndefined();
    await linker.catchUp();
    expect((await store.byDeployment('d-3'))?.id).toBe(newer.id);
    await linker.stop();
  });
});
