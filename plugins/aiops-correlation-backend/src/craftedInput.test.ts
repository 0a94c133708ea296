import request from 'supertest';
import { asUser, minutesAgo, startSuite } from './__testUtils__/startSuite';

/**
 * The API reads bodies with express' JSON parser; bodies nested past the suite's limit or
 * holding lone UTF-16 surrogates answer 400 there, as they do at ingest's receivers.
 */
jest.setTimeout(60_000);

const API = '/api/aiops-correlation';

const silence = {
  matchers: [{ name: 'entity', value: 'component:default/cart' }],
  startsAt: minutesAgo(0),
  endsAt: new Date(Date.now() + 3600_000).toISOString(),
  comment: 'upgrade',
};

describe('crafted bodies to the correlation API', () => {
  it('answer 400 for deep nesting and lone surrogates, creating nothing; a silence within the limits is created', async () => {
    const suite = await startSuite();
    try {
      const post = (body: string) =>
        request(suite.server)
          .post(`${API}/silences`)
          .set('authorization', asUser())
          .set('content-type', 'application/json')
          .send(body);
      const listed = async () =>
        (
          await request(suite.server)
            .get(`${API}/silences`)
            .set('authorization', asUser())
        ).body.items;
      const valid = JSON.stringify(silence);

      // Built as text: an unknown field the validator would otherwise let through.
      const deep = await post(
        `${valid.slice(0, -1)},"extra":${'['.repeat(40_000)}${']'.repeat(
          40_000,
        )}}`,
      );
      expect(deep.status).toBe(400);
      expect(deep.body.error).toEqual({
        name: 'InputError',
        message: 'body nests deeper than 64 levels of arrays and objects',
      });

      const lone = await post(
        JSON.stringify({ ...silence, comment: 'upgrade \ud800' }),
      );
      expect(lone.status).toBe(400);
      expect(lone.body.error.message).toMatch(
        /^comment holds a lone UTF-16 surrogate/,
      );
      await expect(listed()).resolves.toEqual([]);

      const created = await post(
        `${valid.slice(0, -1)},"extra":${'['.repeat(63)}${']'.repeat(63)}}`,
      );
      expect(created.status).toBe(201);
      await expect(listed()).resolves.toEqual([
        expect.objectContaining({ comment: 'upgrade' }),
      ]);
    } finally {
      await suite.stop();
    }
  });
});
