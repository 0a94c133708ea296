import request from 'supertest';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  Incident,
  IncidentDetails,
  IncidentTimelineEntry,
} from '@aiops/plugin-aiops-common';
import {
  alertmanagerGroup,
  asService,
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  startSuite,
} from './__testUtils__/startSuite';

jest.setTimeout(180_000);

const API = '/api/aiops-correlation';
const PLATFORM = 'group:default/platform-team';

/** Services may do anything; a user may read and act on the incidents of the groups named here. */
const CLAIMS: Record<string, string[]> = {
  'user:default/jo.checkout': ['group:default/checkout-team'],
  'user:default/pat.platform': [PLATFORM],
};
const ownersOnly = mockServices.permissions.mock({
  authorize: async requests =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  authorizeConditional: async (requests, options) => {
    const { principal } = options.credentials as BackstageCredentials<
      BackstageUserPrincipal | BackstageServicePrincipal
    >;
    return requests.map(() =>
      principal.type === 'user'
        ? {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'aiops-correlation',
            resourceType: 'aiops-incident',
            conditions: {
              rule: 'IS_INCIDENT_OWNER',
              resourceType: 'aiops-incident',
              params: { claims: CLAIMS[principal.userEntityRef] ?? [] },
            },
          }
        : { result: AuthorizeResult.ALLOW },
    );
  },
});

const NOTES = 230;

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('GET /incidents/{id}/timeline pages what the incident detail leaves out', () => {
  it.each(databases.eachSupportedId())('on %s', async databaseId => {
    const { server, stop } = await startSuite({
      databases: {
        ingest: await databases.init(databaseId),
        correlation: await databases.init(databaseId),
      },
      extraFeatures: [ownersOnly.factory],
    });
    const get = (path: string, authorization = asService) =>
      request(server).get(`${API}${path}`).set('authorization', authorization);
    try {
      await sendAlerts(
        server,
        alertmanagerGroup([
          {
            alertname: 'RedisDown',
            service: 'redis-cart',
            severity: 'critical',
            startsAt: minutesAgo(30),
          },
        ]),
      );
      const incident = await eventually('the incident', async () => {
        const res = await get('/incidents');
        return (res.body.items as Incident[] | undefined)?.[0];
      });
      expect(incident.owner).toBe(PLATFORM);
      for (let n = 1; n <= NOTES; n++) {
        await request(server)
          .post(`${API}/incidents/${incident.id}/notes`)
          .set('authorization', asService)
          .send({ text: `note ${n}` })
          .expect(201);
      }

      const detail = await get(`/incidents/${incident.id}`);
      expect(detail.status).toBe(200);
      const details = detail.body as IncidentDetails;
      expect(details.timeline).toHaveLength(200);
      expect(details.timeline.at(-1)?.summary).toContain(`note ${NOTES}`);
      expect(details.olderTimelineCursor).toEqual(expect.any(String));
      const cursor = details.olderTimelineCursor!;
      const timeline = `/incidents/${incident.id}/timeline`;

      // Readers that need the rest only (the narrator, retrieval) leave the timeline out.
      const slim = await get(`/incidents/${incident.id}?timeline=false`);
      expect(slim.status).toBe(200);
      expect(slim.body).toMatchObject({
        incident: { id: incident.id },
        alerts: details.alerts,
        findings: details.findings,
        timeline: [],
      });
      expect(slim.body).not.toHaveProperty('olderTimelineCursor');
      expect(
        (await get(`/incidents/${incident.id}?timeline=true`)).body.timeline,
      ).toEqual(details.timeline);
      const bad = await get(`/incidents/${incident.id}?timeline=maybe`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/timeline/);

      // Pages of 50 back to the first entry, each oldest first and right before the last.
      let all: IncidentTimelineEntry[] = details.timeline;
      let before: string | undefined = cursor;
      while (before) {
        const page = await get(`${timeline}?before=${before}&limit=50`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(50);
        all = [...page.body.items, ...all];
        before = page.body.nextCursor;
      }
      expect(new Set(all.map(e => e.id)).size).toBe(all.length);
      expect(all.filter(e => e.action === 'note').map(e => e.summary)).toEqual(
        Array.from({ length: NOTES }, (_, i) =>
          expect.stringContaining(`note ${i + 1}`),
        ),
      );
      expect(all[0].action).not.toBe('note');
      // Without `limit`, a page as long as the detail's timeline.
      const rest = await get(`${timeline}?before=${cursor}`);
      expect(rest.body.items).toEqual(all.slice(0, all.length - 200));

      // Without `before`, the newest entries: the detail's.
      const newest = await get(`${timeline}?limit=1000`);
      expect(newest.body.items.slice(-200)).toEqual(details.timeline);
      expect(newest.body.items).toEqual(all);

      // Bad input names the parameter; an unknown incident is a 404.
      for (const [path, status, message] of [
        [`${timeline}?before=nonsense`, 400, /before/],
        [`${timeline}?before=${cursor}&limit=0`, 400, /limit/],
        [`${timeline}?before=${cursor}&limit=1001`, 400, /limit/],
        [`${timeline}?before=${cursor}&limit=ten`, 400, /limit/],
        [`/incidents/unknown/timeline?before=${cursor}`, 404, /unknown/],
      ] as Array<[string, number, RegExp]>) {
        const res = await get(path);
        expect({ path, status: res.status }).toEqual({ path, status });
        expect(res.body.error.message).toMatch(message);
      }

      // The read decision of the detail, evaluated against this incident.
      for (const [user, status] of [
        ['user:default/pat.platform', 200],
        ['user:default/jo.checkout', 403],
      ] as Array<[string, number]>) {
        const [one, older] = await Promise.all([
          get(`/incidents/${incident.id}`, asUser(user)),
          get(`${timeline}?before=${cursor}&limit=5`, asUser(user)),
        ]);
        expect([user, one.status, older.status]).toEqual([
          user,
          status,
          status,
        ]);
      }
    } finally {
      await stop();
    }
  });
});
