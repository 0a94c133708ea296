import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Incident } from '@aiops/plugin-aiops-common';
import {
  asUser,
  eventually,
  sendAlerts,
  startSuite,
  storm,
  type Suite,
} from './__testUtils__/startSuite';

jest.setTimeout(60_000);

const API = '/api/aiops-correlation';
const fix = {
  note: 'Rolled back cart to v41',
  postmortemUrl: 'https://wiki.example.com/postmortems/42',
};

async function theIncident(suite: Suite): Promise<Incident> {
  await sendAlerts(suite.server, storm());
  return eventually('the incident', async () => {
    const res = await request(suite.server)
      .get(`${API}/incidents`)
      .set('authorization', asUser());
    return (res.body.items as Incident[] | undefined)?.[0];
  });
}

const resolve = (suite: Suite, id: string, body?: object) =>
  request(suite.server)
    .post(`${API}/incidents/${id}/resolve`)
    .set('authorization', asUser())
    .send(body);

const detail = async (suite: Suite, id: string) =>
  (
    await request(suite.server)
      .get(`${API}/incidents/${id}`)
      .set('authorization', asUser())
      .expect(200)
  ).body;

describe('POST /incidents/{id}/resolve with a resolution', () => {
  it('answers bad input with a 400 naming the field and resolves nothing', async () => {
    const suite = await startSuite();
    try {
      const incident = await theIncident(suite);
      const cases: Array<[unknown, RegExp]> = [
        [{ resolution: 'fixed' }, /resolution/],
        [{ resolution: { note: '' } }, /resolution.note/],
        [{ resolution: { note: '   ' } }, /resolution\.note/],
        [{ resolution: { note: 42 } }, /resolution.note/],
        [{ resolution: { note: 'x'.repeat(4001) } }, /resolution.note/],
        [
          { ...fix, resolution: { postmortemUrl: 'wiki/42' } },
          /resolution\.postmortemUrl/,
        ],
        [
          {
            resolution: { postmortemUrl: ['javascript', 'alert(1)'].join(':') },
          },
          /resolution\.postmortemUrl/,
        ],
        [
          { resolution: { postmortemUrl: `https://pm/${'x'.repeat(2000)}` } },
          /resolution.postmortemUrl/,
        ],
        [
          { resolution: { ...fix, postmortemUrl: 'https://ann:pw@wiki/1' } },
          /resolution\.postmortemUrl/,
        ],
      ];
      for (const [body, message] of cases) {
        const res = await resolve(suite, incident.id, body as object);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.error.message).toMatch(message);
      }
      const after = await detail(suite, incident.id);
      expect(after.incident.status).toBe(incident.status);
      expect(after.incident.resolution).toBeUndefined();
    } finally {
      await suite.stop();
    }
  });

  it('stores and serves it, and a later resolve replaces it', async () => {
    const suite = await startSuite();
    try {
      const incident = await theIncident(suite);
      // An empty body resolves as before, and says who resolved it.
      const resolved = await resolve(suite, incident.id).expect(200);
      expect(resolved.body).toMatchObject({
        status: 'resolved',
        resolution: {
          resolvedBy: 'user:default/jo.checkout',
          resolvedAt: resolved.body.resolvedAt,
        },
      });
      expect(resolved.body.resolution.note).toBeUndefined();

      // Written after the fact.
      const noted = await resolve(suite, incident.id, {
        resolution: fix,
      }).expect(200);
      expect(noted.body.resolution).toEqual({
        ...fix,
        resolvedBy: 'user:default/jo.checkout',
        resolvedAt: resolved.body.resolvedAt,
      });
      const after = await detail(suite, incident.id);
      expect(after.incident.resolution).toEqual(noted.body.resolution);
      expect(after.timeline.map((e: any) => e.action)).toEqual(
        expect.arrayContaining(['resolve', 'resolution']),
      );
      expect(
        after.timeline.find((e: any) => e.action === 'resolution').summary,
      ).toContain(fix.note);
      // Announced as an update of the incident, not as a second resolve.
      const changes = suite.announced
        .map(e => e.eventPayload as { change: string; incident: Incident })
        .filter(p => p.incident.id === incident.id)
        .map(p => p.change);
      expect(changes.filter(c => c === 'resolved')).toHaveLength(1);
      expect(changes[changes.length - 1]).toBe('updated');

      // The same again changes nothing.
      const again = await resolve(suite, incident.id, {
        resolution: fix,
      }).expect(200);
      expect(again.body.updatedAt).toBe(noted.body.updatedAt);
    } finally {
      await suite.stop();
    }
  });

  it('is refused to those the policy does not let change the incident', async () => {
    const suite = await startSuite({
      extraFeatures: [
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          authorizeConditional: async requests =>
            requests.map(({ permission }) => ({
              result:
                permission.name === 'aiops.incident.update'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    try {
      const incident = await theIncident(suite);
      const denied = await resolve(suite, incident.id, { resolution: fix });
      expect(denied.status).toBe(403);
      expect(denied.body.error.name).toBe('NotAllowedError');
      const after = await detail(suite, incident.id);
      expect(after.incident.status).toBe('open');
      expect(after.incident.resolution).toBeUndefined();
    } finally {
      await suite.stop();
    }
  });
});
