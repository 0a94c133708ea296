import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Incident } from '@aiops/plugin-aiops-common';
import {
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  startSuite,
  storm,
} from './__testUtils__/startSuite';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const API = '/api/aiops-correlation';

describe('aiops-correlation answers bad input with a 4xx naming what is wrong', () => {
  it.each(databases.eachSupportedId())('on %s', async databaseId => {
    const suite = await startSuite({
      databases: {
        ingest: await databases.init(databaseId),
        correlation: await databases.init(databaseId),
      },
    });
    try {
      await sendAlerts(suite.server, storm());
      const incident = await eventually('an incident', async () => {
        const res = await request(suite.server)
          .get(`${API}/incidents`)
          .set('authorization', asUser());
        return (res.body.items as Incident[] | undefined)?.[0];
      });
      const get = (path: string) =>
        request(suite.server)
          .get(`${API}${path}`)
          .set('authorization', asUser());
      const post = (path: string, body?: unknown) =>
        request(suite.server)
          .post(`${API}${path}`)
          .set('authorization', asUser())
          .send(body as object);
      const silence = {
        matchers: [{ name: 'entity', value: 'component:default/cart' }],
        startsAt: minutesAgo(0),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        comment: 'upgrade',
      };

      const cases: Array<[string, request.Test, number, RegExp]> = [
        ['unknown status', get('/incidents?status=burning'), 400, /status/],
        ['limit out of range', get('/incidents?limit=0'), 400, /limit/],
        ['bad timestamp', get('/incidents?from=yesterday'), 400, /from/],
        ['bad cursor', get('/incidents?cursor=nonsense'), 400, /cursor/i],
        [
          'stats range reversed',
          get(
            `/stats?from=${encodeURIComponent(
              minutesAgo(0),
            )}&to=${encodeURIComponent(minutesAgo(60))}`,
          ),
          400,
          /from/,
        ],
        [
          'note without text',
          post(`/incidents/${incident.id}/notes`, {}),
          400,
          /text/,
        ],
        [
          'note of the wrong type',
          post(`/incidents/${incident.id}/notes`, { text: 5 }),
          400,
          /text/,
        ],
        [
          'merge without target',
          post(`/incidents/${incident.id}/merge`, {}),
          400,
          /into/,
        ],
        [
          'merge into itself',
          post(`/incidents/${incident.id}/merge`, { into: incident.id }),
          400,
          /itself/,
        ],
        [
          'unknown incident',
          post('/incidents/inc-unknown/acknowledge'),
          404,
          /inc-unknown/,
        ],
        [
          'silence without matchers',
          post('/silences', { ...silence, matchers: [] }),
          400,
          /matchers/,
        ],
        [
          'silence ending before it starts',
          post('/silences', { ...silence, endsAt: minutesAgo(10) }),
          400,
          /endsAt/,
        ],
        [
          'silence with a bad rule',
          post('/silences', { ...silence, rrule: 'FREQ=SOMETIMES' }),
          400,
          /rrule/,
        ],
        [
          'silence with a runaway pattern',
          post('/silences', {
            ...silence,
            matchers: [{ name: 'job', value: '(a+)+', op: '=~' }],
          }),
          400,
          /matchers\[0\]\.value/,
        ],
        [
          'unknown delivery status',
          get('/notifications?status=lost'),
          400,
          /status/,
        ],
        [
          'bad notifications cursor',
          get('/notifications?cursor=nonsense'),
          400,
          /cursor/i,
        ],
        [
          'notifications limit out of range',
          get(`/incidents/${incident.id}/notifications?limit=5000`),
          400,
          /limit/,
        ],
        [
          'notifications of an unknown incident',
          get('/incidents/inc-unknown/notifications'),
          404,
          /inc-unknown/,
        ],
        [
          'retry of an unknown notification',
          post('/notifications/nope/retry'),
          404,
          /nope/,
        ],
        [
          'unknown silence',
          request(suite.server)
            .delete(`${API}/silences/nope`)
            .set('authorization', asUser()),
          404,
          /nope/,
        ],
      ];
      for (const [name, call, status, message] of cases) {
        const res = await call;
        expect({ name, status: res.status }).toEqual({ name, status });
        expect(res.body.error.message).toMatch(message);
      }

      const malformed = await request(suite.server)
        .post(`${API}/silences`)
        .set('authorization', asUser())
        .set('content-type', 'application/json')
        .send('{"matchers": [');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toBeDefined();

      // A notification that is not dead cannot be retried: 409 naming its status.
      await suite.notify();
      const [sent] = (await get(`/incidents/${incident.id}/notifications`)).body
        .items;
      const retried = await post(`/notifications/${sent.id}/retry`);
      expect(retried.status).toBe(409);
      expect(retried.body.error.message).toMatch(/delivered/);

      // Nothing bad was stored: still one incident, no silences.
      expect((await get('/incidents')).body.items).toHaveLength(1);
      expect((await get('/silences')).body.items).toEqual([]);
    } finally {
      await suite.stop();
    }
  });
});
