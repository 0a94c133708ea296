import request from 'supertest';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type PermissionCriteria,
  type PermissionCondition,
} from '@backstage/plugin-permission-common';
import type { Incident } from '@aiops/plugin-aiops-common';
import {
  alertmanagerGroup,
  asService,
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  startSuite,
} from './__testUtils__/startSuite';

jest.setTimeout(120_000);

const API = '/api/aiops-correlation';
const CHECKOUT = 'group:default/checkout-team';
const PLATFORM = 'group:default/platform-team';

const owns = (...claims: string[]): PermissionCondition => ({
  rule: 'IS_INCIDENT_OWNER',
  resourceType: 'aiops-incident',
  params: { claims },
});

/** What a policy might answer for `aiops.incident.read`, by user. */
const READ_CONDITIONS: Record<
  string,
  PermissionCriteria<PermissionCondition>
> = {
  'user:default/jo.checkout': owns(CHECKOUT),
  'user:default/not.checkout': { not: owns(CHECKOUT) },
  'user:default/either': { anyOf: [owns(CHECKOUT), owns(PLATFORM)] },
  'user:default/nobody': { allOf: [owns(CHECKOUT), owns(PLATFORM)] },
};

const conditionalReads = mockServices.permissions.mock({
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
            conditions: READ_CONDITIONS[principal.userEntityRef],
          }
        : { result: AuthorizeResult.ALLOW },
    );
  },
});

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('conditional read decisions filter /stats and entity health as they filter the incident list', () => {
  it.each(databases.eachSupportedId())('on %s', async databaseId => {
    const { server, stop } = await startSuite({
      databases: {
        ingest: await databases.init(databaseId),
        correlation: await databases.init(databaseId),
      },
      extraFeatures: [conditionalReads.factory],
    });
    try {
      // Two unrelated incidents: redis-cart's (platform team), email's (checkout team).
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
      const get = (path: string, authorization: string) =>
        request(server)
          .get(`${API}${path}`)
          .set('authorization', authorization);
      await eventually('both incidents', async () => {
        const res = await get('/incidents', asService);
        const owners = (res.body.items as Incident[]).map(i => i.owner).sort();
        return owners.join() === [CHECKOUT, PLATFORM].join();
      });
      const emailHealth = `/entities/${encodeURIComponent(
        'component:default/email',
      )}/health`;

      const seenBy = async (authorization: string) => {
        const [list, stats, health] = await Promise.all([
          get('/incidents', authorization),
          get('/stats', authorization),
          get(emailHealth, authorization),
        ]);
        expect([list.status, stats.status, health.status]).toEqual([
          200, 200, 200,
        ]);
        return {
          listed: (list.body.items as Incident[]).map(i => i.owner).sort(),
          counted: stats.body.byOwner
            .filter((row: { open: number }) => row.open > 0)
            .map((row: { ref: string }) => row.ref)
            .sort(),
          totals: {
            open: stats.body.totals.open,
            incidents: stats.body.totals.incidents,
          },
          emailOpen: health.body.openIncidents.length,
          emailWindow: health.body.window.incidents,
        };
      };

      expect(await seenBy(asService)).toEqual({
        listed: [CHECKOUT, PLATFORM],
        counted: [CHECKOUT, PLATFORM],
        totals: { open: 2, incidents: 2 },
        emailOpen: 1,
        emailWindow: 1,
      });
      expect(await seenBy(asUser('user:default/jo.checkout'))).toEqual({
        listed: [CHECKOUT],
        counted: [CHECKOUT],
        totals: { open: 1, incidents: 1 },
        emailOpen: 1,
        emailWindow: 1,
      });
      expect(await seenBy(asUser('user:default/not.checkout'))).toEqual({
        listed: [PLATFORM],
        counted: [PLATFORM],
        totals: { open: 1, incidents: 1 },
        emailOpen: 0,
        emailWindow: 0,
      });
      expect(await seenBy(asUser('user:default/either'))).toEqual({
        listed: [CHECKOUT, PLATFORM],
        counted: [CHECKOUT, PLATFORM],
        totals: { open: 2, incidents: 2 },
        emailOpen: 1,
        emailWindow: 1,
      });
      expect(await seenBy(asUser('user:default/nobody'))).toEqual({
        listed: [],
        counted: [],
        totals: { open: 0, incidents: 0 },
        emailOpen: 0,
        emailWindow: 0,
      });
    } finally {
      await stop();
    }
  });
});
