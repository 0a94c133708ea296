import request from 'supertest';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Incident, IncidentDetails } from '@aiops/plugin-aiops-common';
import { DatabaseIncidentStore } from './database/DatabaseIncidentStore';
import {
  asUser,
  eventually,
  sendAlerts,
  startSuite,
  storm,
} from './__testUtils__/startSuite';

jest.setTimeout(60_000);

const API = '/api/aiops-correlation';
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function readIncident(server: any, id: string): Promise<IncidentDetails> {
  const res = await request(server)
    .get(`${API}/incidents/${id}`)
    .set('authorization', asUser());
  expect(res.status).toBe(200);
  return res.body;
}

/** Discovery that sends every plugin's calls to `baseUrl`, as a misrouted or dead ingest would. */
const discoveryAt = (baseUrl: string) =>
  createServiceFactory({
    service: coreServices.discovery,
    deps: {},
    factory: () => ({
      getBaseUrl: async (pluginId: string) => `${baseUrl}/api/${pluginId}`,
      getExternalBaseUrl: async (pluginId: string) =>
        `${baseUrl}/api/${pluginId}`,
    }),
  });

/** Starts the suite on an incident stored beforehand, with ingest reached through `baseUrl`. */
async function suiteWithStoredIncident(baseUrl: string) {
  const ingest = await databases.init('SQLITE_3');
  const correlation = await databases.init('SQLITE_3');
  const store = await DatabaseIncidentStore.create({
    database: mockServices.database({
      knex: correlation,
      migrations: { skip: false },
    }),
  });
  const at = '2026-11-25T09:00:00.000Z';
  const incident: Incident = {
    id: 'inc-1',
    title: 'cart: CartErrors',
    status: 'open',
    severity: 'error',
    primaryEntityRef: 'component:default/cart',
    affectedEntityRefs: ['component:default/cart'],
    correlationKey: `group-key@1|inc-1|${at}`,
    ruleVersions: ['group-key@1'],
    alertIds: ['alert-1'],
    findings: [],
    rootCauseCandidates: [],
    openedAt: at,
    updatedAt: at,
  };
  await store.applyDecisions(
    [{ type: 'open-incident', incident, rule: 'group-key@1' }],
    { now: at },
  );
  return startSuite({
    databases: { ingest, correlation },
    extraFeatures: [discoveryAt(baseUrl)],
  });
}

describe('an incident read with its alerts', () => {
  it("shows each alert's name, entity, severity, status and times next to its role", async () => {
    const { server, stop } = await startSuite();
    try {
      await sendAlerts(server, storm());
      const id = await eventually('the incident', async () => {
        const res = await request(server)
          .get(`${API}/incidents`)
          .set('authorization', asUser());
        const [incident] = res.body.items ?? [];
        return incident?.alertIds.length === 3 && (incident.id as string);
      });
      const details = await readIncident(server, id);
      expect(details.alertDetails).toBe('available');
      const byName = Object.fromEntries(
        details.alerts.map(link => [link.details?.name, link]),
      );
      expect(Object.keys(byName).sort()).toEqual([
        'CartErrors',
        'FrontendLatency',
        'RedisDown',
      ]);
      expect(byName.RedisDown).toMatchObject({
        role: 'member',
        details: {
          name: 'RedisDown',
          title: expect.any(String),
          entityRef: 'resource:default/redis-cart',
          severity: 'critical',
          status: 'firing',
          startsAt: expect.any(String),
          lastSeenAt: expect.any(String),
        },
      });
      expect(byName.RedisDown.details?.endsAt).toBeUndefined();
      // The symptoms keep why they are quiet next to what they are.
      expect(byName.CartErrors).toMatchObject({
        role: 'suppressed',
        suppression: { reason: 'symptom-of-root' },
        details: { entityRef: 'component:default/cart', severity: 'error' },
      });
    } finally {
      await stop();
    }
  });

  it('still answers with the alert ids when ingest cannot be reached', async () => {
    // Port 9 (discard) is closed on the test machine: the connection is refused.
    const { server, stop } = await suiteWithStoredIncident(
      'http://127.0.0.1:9',
    );
    try {
      const details = await readIncident(server, 'inc-1');
      expect(details.alertDetails).toBe('unavailable');
      expect(details.alerts).toEqual([
        expect.objectContaining({ alertId: 'alert-1', role: 'member' }),
      ]);
      expect(details.alerts[0].details).toBeUndefined();
    } finally {
      await stop();
    }
  });
});
