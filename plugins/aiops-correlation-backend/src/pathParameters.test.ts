import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import { asUser, startSuite } from './__testUtils__/startSuite';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const API = '/api/aiops-correlation';

describe('path parameters holding NUL', () => {
  // PostgreSQL refuses NUL in text: before, these reached the store and answered 500 there.
  it.each(databases.eachSupportedId())(
    'answer 400 naming the problem on %s',
    async databaseId => {
      const suite = await startSuite({
        databases: {
          ingest: await databases.init(databaseId),
          correlation: await databases.init(databaseId),
        },
      });
      try {
        for (const path of [
          '/incidents/%00',
          '/incidents/inc-%00/timeline',
          '/incidents/a%00b/notifications',
          '/silences/%00',
        ]) {
          const res = await request(suite.server)
            .get(`${API}${path}`)
            .set('authorization', asUser());
          expect([path, res.status, res.body.error]).toEqual([
            path,
            400,
            {
              name: 'InputError',
              message: 'path parameter holds a NUL character (%00)',
            },
          ]);
        }
        const fine = await request(suite.server)
          .get(`${API}/incidents/inc-unknown`)
          .set('authorization', asUser());
        expect(fine.status).toBe(404);
      } finally {
        await suite.stop();
      }
    },
  );
});
