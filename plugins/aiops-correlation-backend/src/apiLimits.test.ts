import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Incident } from '@aiops/plugin-aiops-common';
import {
  asUser,
  eventually,
  sendAlerts,
  startSuite,
  storm,
} from './__testUtils__/startSuite';
import { MAX_BODY_BYTES } from './jsonBody';

jest.setTimeout(60_000);

const API = '/api/aiops-correlation';

describe('the correlation API at its limits', () => {
  it('answers 413 naming the limit for a body above it, and 400 for malformed JSON', async () => {
    const suite = await startSuite();
    try {
      const note = (body: string) =>
        request(suite.server)
          .post(`${API}/incidents/inc-unknown/notes`)
          .set('authorization', asUser())
          .set('content-type', 'application/json')
          .send(body);

      const large = await note(
        JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES) }),
      );
      expect(large.status).toBe(413);
      expect(large.body.error).toMatchObject({
        name: 'PayloadTooLargeError',
        message: `body is larger than the limit of ${MAX_BODY_BYTES} bytes`,
      });

      const malformed = await note('{"text": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.name).toBe('InputError');

      // Just below the limit the body is read: the unknown incident answers.
      const fits = await note(
        JSON.stringify({
          text: 'hi',
          padding: 'x'.repeat(MAX_BODY_BYTES - 100),
        }),
      );
      expect(fits.status).toBe(404);
    } finally {
      await suite.stop();
    }
  });

  it('reads list parameters comma-separated, as the spec shows, or repeated', async () => {
    const suite = await startSuite();
    try {
      await sendAlerts(suite.server, storm());
      const list = (query: string) =>
        request(suite.server)
          .get(`${API}/incidents?${query}`)
          .set('authorization', asUser());
      const incident = await eventually('an incident', async () => {
        const res = await list('');
        return (res.body.items as Incident[] | undefined)?.[0];
      });
      expect(incident.status).toBe('open');

      for (const query of [
        'status=open,acknowledged',
        'status=open%2Cacknowledged',
        'status=acknowledged&status=open',
        'status=resolved,acknowledged&status=open',
        `severity=critical,error&severity=${incident.severity}`,
      ]) {
        const res = await list(query);
        expect({ query, status: res.status }).toEqual({ query, status: 200 });
        expect(res.body.items.map((i: Incident) => i.id)).toEqual([
          incident.id,
        ]);
      }
      const none = await list('status=resolved,acknowledged');
      expect(none.status).toBe(200);
      expect(none.body.items).toEqual([]);

      const wrong = await list('status=open,burning');
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.message).toBe(
        'query parameter status must be a comma-separated list of open, acknowledged, resolved; got "burning"',
      );

      // A huge value is named, not sent back whole.
      const huge = await list(`status=${'x'.repeat(10_000)}`);
      expect(huge.status).toBe(400);
      expect(huge.body.error.message).toContain('query parameter status');
      expect(huge.body.error.message.length).toBeLessThan(1_000);
    } finally {
      await suite.stop();
    }
  });
});

describe('error responses', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  /** A 500 from /stats: the correlation database is gone under the running plugin. */
  async function serverError(nodeEnv: string) {
    const before = process.env.NODE_ENV;
    // Backstage's error handler decides on stack traces from NODE_ENV when the backend starts.
    process.env.NODE_ENV = nodeEnv;
    const correlation = await databases.init('SQLITE_3');
    const suite = await startSuite({
      databases: { ingest: await databases.init('SQLITE_3'), correlation },
    }).finally(() => {
      process.env.NODE_ENV = before;
    });
    try {
      await correlation.destroy();
      return await request(suite.server)
        .get(`${API}/stats`)
        .set('authorization', asUser());
    } finally {
      await suite.stop().catch(() => {});
    }
  }

  it('never carry a stack trace in production', async () => {
    const res = await serverError('production');

    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({
      name: expect.any(String),
      message: expect.any(String),
    });
    expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('carry one in development (so the production check can fail)', async () => {
    const res = await serverError('development');

    expect(res.status).toBe(500);
    expect(res.body.error.stack).toEqual(expect.any(String));
  });
});
