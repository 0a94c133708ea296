import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  at,
  bareIncident as incident,
} from '../service/__testUtils__/builders';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ann = 'user:default/ann';

describe.each(databases.eachSupportedId())(
  'incidents changed by people, on %s',
  databaseId => {
    it('lists what people acknowledged, resolved, reopened or merged since a time, and nothing correlation did', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseIncidentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      for (const id of ['acked', 'resolved', 'reopened', 'source', 'target']) {
        await store.applyDecisions(
          [{ type: 'open-incident', incident: incident(id), rule: 'r@1' }],
          { now: at(0) },
        );
      }
      await store.applyDecisions(
        [
          { type: 'open-incident', incident: incident('auto'), rule: 'r@1' },
          // Correlation's own resolve is not a person's change.
          {
            type: 'resolve-incident',
            incidentId: 'auto',
            at: at(20),
            rule: 'auto-resolve@1',
          },
        ],
        { now: at(20) },
      );
      await store.acknowledge('acked', ann, at(10));
      await store.resolve('resolved', ann, at(11));
      await store.resolve('reopened', ann, at(5));
      await store.reopen('reopened', ann, at(12));
      await store.merge('source', 'target', ann, at(13));

      expect(await store.changedByPeopleSince(at(11))).toEqual({
        resolved: { status: 'resolved', resolvedAt: at(11) },
        reopened: { status: 'open' },
        source: {
          status: 'resolved',
          resolvedAt: at(13),
          mergedInto: 'target',
        },
        target: { status: 'open' },
      });
      expect(
        Object.keys(await store.changedByPeopleSince(at(10))).sort(),
      ).toEqual(['acked', 'reopened', 'resolved', 'source', 'target']);
      expect(await store.changedByPeopleSince(at(14))).toEqual({});

      // A repeated action that changes nothing does not count as a change again.
      await store.resolve('resolved', ann, at(30));
      expect(await store.changedByPeopleSince(at(14))).toEqual({});
    });
  },
);
