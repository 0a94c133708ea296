import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { AiopsRetrievalApi, Incident } from '@aiops/plugin-aiops-common';
import {
  alertmanagerGroup,
  asService,
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  startRetrievalSuite,
  storm,
  type RetrievalSuite,
} from './__testUtils__/startRetrievalSuite';

jest.setTimeout(120_000);

const RETRIEVAL = '/api/aiops-retrieval';
const CORRELATION = '/api/aiops-correlation';

describe('aiops-retrieval', () => {
  let suite: RetrievalSuite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  const get = (path: string, who = asUser()) =>
    request(suite!.server).get(path).set('authorization', who);
  const post = (path: string, body: object, who = asUser()) =>
    request(suite!.server).post(path).set('authorization', who).send(body);

  /** The storm's incident, once correlation has opened it with all three alerts. */
  async function stormIncident(): Promise<Incident> {
    await sendAlerts(suite!.server, storm());
    return eventually('the storm incident', async () => {
      await suite!.tick();
      const [found] = (await get(`${CORRELATION}/incidents`)).body
        .items as Incident[];
      return found?.alertIds.length === 3 && found;
    });
  }

  it('indexes a resolved incident from the change feed and finds it with its resolution', async () => {
    suite = await startRetrievalSuite();
    const incident = await stormIncident();
    await post(`${CORRELATION}/incidents/${incident.id}/resolve`, {
      resolution: {
        note: 'Restarted redis-cart with twice the memory',
        postmortemUrl: 'https://wiki.example.com/pm/42',
      },
    }).expect(200);

    const found = await eventually('the incident in the index', async () => {
      await suite!.catchUp();
      const res = await post(`${RETRIEVAL}/search`, {
        query: 'redis memory',
      }).expect(200);
      const body = res.body as AiopsRetrievalApi.RetrievalResult;
      return body.hits[0]?.resolution ? body : undefined;
    });
    expect(found).toMatchObject({ mode: 'hybrid', model: 'hashed-ngrams@1' });
    expect(found.hits[0]).toMatchObject({
      incidentId: incident.id,
      status: 'resolved',
      resolution: {
        note: 'Restarted redis-cart with twice the memory',
        postmortemUrl: 'https://wiki.example.com/pm/42',
      },
    });
    expect(found.hits[0].why.sharedTerms).toEqual(
      expect.arrayContaining(['redis', 'memory']),
    );
    // The alerts' labels as ingest keeps them are words of the document too.
    const byLabel = await post(`${RETRIEVAL}/search`, {
      query: 'boutique',
    }).expect(200);
    expect(byLabel.body.hits[0]).toMatchObject({ incidentId: incident.id });

    // Filters narrow the search; an entity the incident does not touch finds nothing.
    const elsewhere = await post(`${RETRIEVAL}/search`, {
      query: 'redis memory',
      entityRef: 'component:default/ledger-writer',
    }).expect(200);
    expect(elsewhere.body.hits).toEqual([]);

    // The incident is never its own match.
    const similar = await get(
      `${RETRIEVAL}/incidents/${incident.id}/similar?k=5`,
    ).expect(200);
    expect(similar.body).toMatchObject({ incidentId: incident.id, hits: [] });

    const reindexed = await post(`${RETRIEVAL}/reindex`, {}).expect(200);
    expect(reindexed.body).toEqual({ documents: 1, withoutVector: 0 });

    const status = await get(`${RETRIEVAL}/status`).expect(200);
    expect(status.body).toEqual({
      store: 'database',
      model: 'hashed-ngrams@1',
      fusion: 'minmax',
      documents: 1,
      withoutVector: 0,
      indexing: true,
      cursor: expect.stringMatching(/^[1-9]\d*$/),
    });
  });

  it('answers 400 naming k or the query, and 404 for an unknown incident', async () => {
    suite = await startRetrievalSuite();
    for (const k of ['0', '51', 'many']) {
      const res = await get(`${RETRIEVAL}/incidents/inc-1/similar?k=${k}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/\bk\b/);
    }
    const long = await post(`${RETRIEVAL}/search`, {
      query: 'x'.repeat(1001),
    });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/query/);
    const unknownField = await post(`${RETRIEVAL}/search`, {
      query: 'redis',
      severity: 'critical',
    });
    expect(unknownField.status).toBe(400);
    // The validator names the rule, not the field: `request/body must NOT have additional properties`.
    expect(unknownField.body.error.message).toMatch(/additional properties/);
    await get(`${RETRIEVAL}/incidents/inc-unknown/similar`).expect(404);
  });

  it('needs aiops.admin to reindex and aiops.incident.read to search', async () => {
    const nobody = 'user:default/nobody';
    const isNobody = (credentials: any) =>
      credentials.principal?.userEntityRef === nobody;
    suite = await startRetrievalSuite({
      extraFeatures: [
        mockServices.permissions.mock({
          authorize: async (requests, { credentials }) =>
            requests.map(({ permission }) => ({
              result:
                permission.name === 'aiops.admin' && isNobody(credentials)
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
          authorizeConditional: async (requests, { credentials }) =>
            requests.map(() => ({
              result: isNobody(credentials)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
            })) as any,
        }).factory,
      ],
    });
    const refused = await post(`${RETRIEVAL}/reindex`, {}, asUser(nobody));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/aiops\.admin/);
    expect((await post(`${RETRIEVAL}/reindex`, {})).status).toBe(200);
    expect(
      (await post(`${RETRIEVAL}/search`, { query: 'x' }, asUser(nobody)))
        .status,
    ).toBe(403);
    expect(
      (await get(`${RETRIEVAL}/incidents/inc-1/similar`, asUser(nobody)))
        .status,
    ).toBe(403);
    expect((await get(`${RETRIEVAL}/status`, asUser(nobody))).status).toBe(403);
  });

  it('leaves out the hits a conditional read decision does not allow, and refuses such an incident', async () => {
    const claims = ['user:default/jo.checkout', 'group:default/checkout-team'];
    suite = await startRetrievalSuite({
      extraFeatures: [
        mockServices.permissions.mock({
          authorizeConditional: async (requests, { credentials }) =>
            requests.map(() =>
              (credentials.principal as any).type === 'user'
                ? {
                    result: AuthorizeResult.CONDITIONAL,
                    pluginId: 'aiops-correlation',
                    resourceType: 'aiops-incident',
                    conditions: {
                      rule: 'IS_INCIDENT_OWNER',
                      resourceType: 'aiops-incident',
                      params: { claims },
                    },
                  }
                : { result: AuthorizeResult.ALLOW },
            ) as any,
        }).factory,
      ],
    });
    // Two incidents of two owners: email's (checkout-team), and redis-cart's with cart's
    // alert (platform-team).
    await sendAlerts(
      suite.server,
      alertmanagerGroup(
        [
          ['CartErrors', 'cartservice'],
          ['EmailBounces', 'emailservice'],
          ['RedisDown', 'redis-cart'],
        ].map(([alertname, service]) => ({
          alertname,
          service,
          severity: 'critical',
          startsAt: minutesAgo(1),
        })),
      ),
    );
    const incidents = await eventually('two incidents', async () => {
      await suite!.tick();
      const items = (await get(`${CORRELATION}/incidents`, asService)).body
        .items as Incident[];
      return items?.length === 2 && items;
    });
    const owned = incidents.filter(i => claims.includes(i.owner ?? ''));
    const others = incidents.filter(i => !claims.includes(i.owner ?? ''));
    expect(owned.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);

    const everything = await eventually('both indexed', async () => {
      await suite!.catchUp();
      const res = await post(
        `${RETRIEVAL}/search`,
        { query: 'cart errors email bounces redis down' },
        asService,
      );
      return res.body.hits?.length === 2 && res.body;
    });
    expect(everything.hits).toHaveLength(2);

    const mine = await post(`${RETRIEVAL}/search`, {
      query: 'cart errors email bounces redis down',
    }).expect(200);
    expect(
      mine.body.hits.map((h: { incidentId: string }) => h.incidentId).sort(),
    ).toEqual(owned.map(i => i.id).sort());

    await get(`${RETRIEVAL}/incidents/${owned[0].id}/similar`).expect(200);
    const refused = await get(`${RETRIEVAL}/incidents/${others[0].id}/similar`);
    expect(refused.status).toBe(403);
  });
});
