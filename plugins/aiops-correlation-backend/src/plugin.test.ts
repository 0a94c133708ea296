import request from 'supertest';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Incident } from '@aiops/plugin-aiops-common';
import {
  alertmanagerGroup,
  asUser,
  minutesAgo,
  storm,
  eventually,
  sendAlerts,
  startSuite,
} from './__testUtils__/startSuite';

jest.setTimeout(60_000);

const API = '/api/aiops-correlation';

async function listIncidents(server: any, query = '') {
  const res = await request(server)
    .get(`${API}/incidents${query}`)
    .set('authorization', asUser());
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res.body.items as Incident[];
}

describe('aiops-correlation plugin', () => {
  it('turns a storm from ingest into one explained incident, with a lifecycle people drive', async () => {
    const { server, announced, stop, publish } = await startSuite();
    try {
      await sendAlerts(server, storm());
      const [incident] = await eventually('the incident', async () => {
        const items = await listIncidents(server);
        return items.length === 1 && items[0].alertIds.length === 3 && items;
      });
      expect(incident).toMatchObject({
        status: 'open',
        severity: 'critical',
        primaryEntityRef: 'resource:default/redis-cart',
        owner: 'group:default/platform-team',
        system: 'system:default/online-boutique',
      });
      expect(incident.affectedEntityRefs.sort()).toEqual([
        'component:default/cart',
        'component:default/frontend',
        'resource:default/redis-cart',
      ]);
      expect(incident.rootCauseCandidates[0].entityRef).toBe(
        'resource:default/redis-cart',
      );

      const details = await request(server)
        .get(`${API}/incidents/${incident.id}`)
        .set('authorization', asUser())
        .expect(200);
      expect(details.body.findings.map((f: any) => f.finding.rule)).toEqual(
        expect.arrayContaining([
          'topology-root-cause@3',
          'topology-grouping@2',
          'inhibition@2',
        ]),
      );
      expect(details.body.timeline[0]).toMatchObject({
        action: 'open-incident',
      });
      expect(announced.map(e => (e.eventPayload as any).change)).toContain(
        'opened',
      );

      // The regression detector's evidence joins the incident of the regressed entity.
      await publish('aiops.regression.detected', {
        regression: {
          id: 'reg-1',
          entityRef: 'component:default/cart',
          metric: 'http.server.duration.p99',
          direction: 'increase',
          detectedAt: minutesAgo(1),
          changePointAt: minutesAgo(6),
          before: { mean: 120, n: 60 },
          after: { mean: 950, n: 5 },
          relativeChange: 6.9,
          pValue: 0.0004,
        },
      });
      const withRegression = await eventually(
        'the regression finding',
        async () => {
          const res = await request(server)
            .get(`${API}/incidents/${incident.id}`)
            .set('authorization', asUser());
          return res.body.findings.find(
            (f: any) => f.key === 'regression:reg-1',
          );
        },
      );
      expect(withRegression.finding).toMatchObject({
        rule: 'regression-linked@1',
        evidence: [{ kind: 'regression', id: 'reg-1' }],
      });

      // Filters: by an affected entity, and by owner in short form.
      expect(
        await listIncidents(
          server,
          `?entityRef=${encodeURIComponent('component:default/cart')}`,
        ),
      ).toHaveLength(1);
      expect(
        await listIncidents(
          server,
          `?owner=platform-team&status=${encodeURIComponent(
            'open,acknowledged',
          )}`,
        ),
      ).toHaveLength(1);
      expect(
        await listIncidents(
          server,
          `?entityRef=${encodeURIComponent('component:default/ad')}`,
        ),
      ).toHaveLength(0);
      const bad = await request(server)
        .get(`${API}/incidents?status=burning`)
        .set('authorization', asUser());
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/status/);

      // Health of an affected entity.
      const health = await request(server)
        .get(
          `${API}/entities/${encodeURIComponent(
            'component:default/cart',
          )}/health`,
        )
        .set('authorization', asUser())
        .expect(200);
      expect(health.body).toMatchObject({
        entityRef: 'component:default/cart',
        status: 'outage',
        openIncidents: [expect.objectContaining({ id: incident.id })],
        firingAlerts: [expect.objectContaining({ title: 'CartErrors' })],
        window: { incidents: 1 },
      });

      // Acknowledge, note, resolve.
      const ack = await request(server)
        .post(`${API}/incidents/${incident.id}/acknowledge`)
        .set('authorization', asUser())
        .expect(200);
      expect(ack.body).toMatchObject({
        status: 'acknowledged',
        acknowledgedAt: expect.any(String),
      });
      await request(server)
        .post(`${API}/incidents/${incident.id}/notes`)
        .set('authorization', asUser())
        .send({ text: 'Failing over redis-cart' })
        .expect(201);
      await request(server)
        .post(`${API}/incidents/${incident.id}/notes`)
        .set('authorization', asUser())
        .send({ text: '  ' })
        .expect(400);
      const resolved = await request(server)
        .post(`${API}/incidents/${incident.id}/resolve`)
        .set('authorization', asUser())
        .expect(200);
      expect(resolved.body.status).toBe('resolved');

      // Correlation follows the resolve: a new alert on cart opens a new incident.
      await sendAlerts(
        server,
        alertmanagerGroup([
          {
            alertname: 'CartLatency',
            service: 'cartservice',
            severity: 'warning',
            startsAt: minutesAgo(0),
          },
        ]),
      );
      const second = await eventually('a second incident', async () =>
        (await listIncidents(server)).find(i => i.id !== incident.id),
      );
      expect(second.alertIds).toHaveLength(1);

      // Merge the new incident into the first (reopened) one.
      await request(server)
        .post(`${API}/incidents/${incident.id}/reopen`)
        .set('authorization', asUser())
        .expect(200);
      const merged = await request(server)
        .post(`${API}/incidents/${second.id}/merge`)
        .set('authorization', asUser())
        .send({ into: incident.id })
        .expect(200);
      expect(merged.body.id).toBe(incident.id);
      expect(merged.body.alertIds).toHaveLength(4);
      const source = await request(server)
        .get(`${API}/incidents/${second.id}`)
        .set('authorization', asUser())
        .expect(200);
      expect(source.body.incident).toMatchObject({
        status: 'resolved',
        mergedInto: incident.id,
      });

      const timeline = (
        await request(server)
          .get(`${API}/incidents/${incident.id}`)
          .set('authorization', asUser())
      ).body.timeline.map((e: any) => e.action);
      expect(timeline).toEqual(
        expect.arrayContaining([
          'acknowledge',
          'note',
          'resolve',
          'reopen',
          'merge',
        ]),
      );

      const stats = await request(server)
        .get(`${API}/stats`)
        .set('authorization', asUser())
        .expect(200);
      expect(stats.body.byOwner).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            ref: 'group:default/platform-team',
            open: 1,
          }),
        ]),
      );

      await request(server)
        .get(`${API}/incidents/inc-unknown`)
        .set('authorization', asUser())
        .expect(404);
    } finally {
      await stop();
    }
  });

  it('keeps alerts under a maintenance window quiet and opens their incident when it ends', async () => {
    const { server, stop, tick } = await startSuite();
    try {
      const silence = await request(server)
        .post(`${API}/silences`)
        .set('authorization', asUser())
        .send({
          matchers: [{ name: 'entity', value: 'component:default/ad' }],
          startsAt: minutesAgo(10),
          endsAt: new Date(Date.now() + 3600_000).toISOString(),
          comment: 'ad-service migration',
        })
        .expect(201);
      expect(silence.body).toMatchObject({
        createdBy: 'user:default/jo.checkout',
        comment: 'ad-service migration',
      });

      await sendAlerts(
        server,
        alertmanagerGroup([
          {
            alertname: 'AdErrors',
            service: 'adservice',
            severity: 'error',
            startsAt: minutesAgo(1),
          },
        ]),
      );
      const health = await eventually('the silenced alert', async () => {
        const res = await request(server)
          .get(`${API}/entities/component%3Adefault%2Fad/health`)
          .set('authorization', asUser());
        return res.body.suppressedAlerts?.length === 1 && res.body;
      });
      expect(health.suppressedAlerts[0]).toMatchObject({
        title: 'AdErrors',
        suppression: { reason: 'silenced', by: { silenceId: silence.body.id } },
      });
      expect(await listIncidents(server)).toHaveLength(0);

      const bad = await request(server)
        .post(`${API}/silences`)
        .set('authorization', asUser())
        .send({
          matchers: [{ name: 'entity', value: 'x', op: '~' }],
          startsAt: minutesAgo(1),
          endsAt: minutesAgo(0),
          comment: 'x',
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/matchers\/0\/op/);

      await request(server)
        .delete(`${API}/silences/${silence.body.id}`)
        .set('authorization', asUser())
        .expect(200);
      await tick();
      const [incident] = await eventually(
        'the incident after the window',
        async () => {
          const items = await listIncidents(server);
          return items.length === 1 && items;
        },
      );
      expect(incident.primaryEntityRef).toBe('component:default/ad');
    } finally {
      await stop();
    }
  });

  it('answers 401 to a caller without credentials', async () => {
    const { server, stop } = await startSuite({
      extraFeatures: [
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    try {
      for (const path of ['/incidents', '/silences', '/stats']) {
        const res = await request(server).get(`${API}${path}`);
        expect(res.status).toBe(401);
        expect(res.body.error.name).toBe('AuthenticationError');
      }
      await request(server).post(`${API}/silences`).send({}).expect(401);
    } finally {
      await stop();
    }
  });

  it("lets a user act only on their own team's incidents when the policy says so", async () => {
    const { server, stop } = await startSuite({
      extraFeatures: [
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          authorizeConditional: async requests =>
            requests.map(({ permission }) =>
              permission.name === 'aiops.incident.update'
                ? {
                    result: AuthorizeResult.CONDITIONAL,
                    pluginId: 'aiops-correlation',
                    resourceType: 'aiops-incident',
                    conditions: {
                      rule: 'IS_INCIDENT_OWNER',
                      resourceType: 'aiops-incident',
                      params: {
                        claims: [
                          'user:default/jo.checkout',
                          'group:default/checkout-team',
                        ],
                      },
                    },
                  }
                : { result: AuthorizeResult.ALLOW },
            ),
        }).factory,
      ],
    });
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
          {
            alertname: 'EmailBounces',
            service: 'emailservice',
            severity: 'error',
            startsAt: minutesAgo(2),
          },
        ]),
      );
      const incidents = await eventually('two incidents', async () => {
        const items = await listIncidents(server);
        return items.length === 2 && items;
      });
      const platforms = incidents.find(
        i => i.owner === 'group:default/platform-team',
      )!;
      const checkouts = incidents.find(
        i => i.owner === 'group:default/checkout-team',
      )!;
      const denied = await request(server)
        .post(`${API}/incidents/${platforms.id}/acknowledge`)
        .set('authorization', asUser());
      expect(denied.status).toBe(403);
      expect(denied.body.error.name).toBe('NotAllowedError');
      await request(server)
        .post(`${API}/incidents/${checkouts.id}/acknowledge`)
        .set('authorization', asUser())
        .expect(200);
    } finally {
      await stop();
    }
  });
});
