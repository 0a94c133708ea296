import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { EntityResolution } from '@aiops/plugin-aiops-common';
import { parsePagerDutyChangeEvent } from '../service/deployments';
import { fixtureJson } from '../service/deployments/__testUtils__/fixtures';
import { DatabaseIngestStore } from './DatabaseIngestStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const cart: EntityResolution = {
  status: 'resolved',
  entityRef: 'component:default/cart',
  matchedBy: 'label:service',
};
const receivedAt = new Date('2026-11-25T08:00:05.000Z');

describe.each(databases.eachSupportedId())(
  'PagerDuty change events on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      return DatabaseIngestStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
    }

    it('stores a change with its summary, once however often it is delivered, and feeds it', async () => {
      const store = await createStore();
      const [input] = parsePagerDutyChangeEvent(
        fixtureJson('pagerduty/change-event.ansible.json'),
        { now: receivedAt },
      );
      const [first] = await store.recordDeployments(
        [{ input, resolution: cart }],
        receivedAt,
      );
      const [again] = await store.recordDeployments(
        [{ input, resolution: cart }],
        receivedAt,
      );
      expect(first.change).toBe('created');
      expect(again).toMatchObject({
        change: 'unchanged',
        deployment: { id: first.deployment.id },
      });

      const expected = {
        id: first.deployment.id,
        source: 'pagerduty-change',
        externalId: input.externalId,
        resolution: cart,
        environment: 'production',
        version: '4.2',
        status: 'succeeded',
        startedAt: '2026-11-25T07:58:12.483Z',
        finishedAt: '2026-11-25T07:58:12.483Z',
        url: 'https://github.com/ansible-collections/community.general/pull/1269',
        actor: 'ansible',
        summary: 'The application was deployed',
      };
      const page = await store.listDeployments({
        entityRef: 'component:default/cart',
        limit: 10,
      });
      expect(page.items).toEqual([expected]);
      const feed = await store.deploymentFeed(undefined, 10);
      expect(feed.items.map(item => item.item)).toEqual([expected]);
    });

    it('reads a deployment stored without a summary as having none', async () => {
      const store = await createStore();
      const [recorded] = await store.recordDeployments(
        [
          {
            input: {
              source: 'generic',
              externalId: 'd1',
              labels: { service: 'cart' },
              environment: 'production',
              version: '1.8.0',
              status: 'succeeded',
              startedAt: '2026-11-25T07:55:00.000Z',
            },
            resolution: cart,
          },
        ],
        receivedAt,
      );
      const [listed] = (await store.listDeployments({ limit: 10 })).items;
      expect(listed).toEqual(recorded.deployment);
      expect(listed).not.toHaveProperty('summary', expect.anything());
    });
  },
);
