import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Incident } from '@aiops/plugin-aiops-common';
import type { Knex } from 'knex';
import {
  alertmanagerGroup,
  asUser,
  cartLatency,
  minutesAgo,
  storm,
  eventually,
  sendAlerts,
  startSuite,
  type Suite,
} from './__testUtils__/startSuite';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const API = '/api/aiops-correlation';
const CART = 'component:default/cart';
const FRONTEND = 'component:default/frontend';

async function listIncidents(suite: Suite) {
  const res = await request(suite.server)
    .get(`${API}/incidents`)
    .set('authorization', asUser());
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res.body.items as Incident[];
}

async function getIncident(suite: Suite, id: string) {
  const res = await request(suite.server)
    .get(`${API}/incidents/${id}`)
    .set('authorization', asUser());
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res.body as {
    incident: Incident;
    alerts: Array<{ alertId: string }>;
    timeline: Array<{ id: string; action: string }>;
  };
}

/** Alerts the replica's in-memory state keeps quiet on an entity (not read from the store). */
async function suppressedInMemory(suite: Suite, entityRef: string) {
  const res = await request(suite.server)
    .get(`${API}/entities/${encodeURIComponent(entityRef)}/health`)
    .set('authorization', asUser())
    .expect(200);
  return res.body.suppressedAlerts as Array<{ alertId: string }>;
}

async function tableCounts(knex: Knex) {
  const counts: Record<string, number> = {};
  for (const table of [
    'incidents',
    'incident_alerts',
    'incident_entities',
    'incident_findings',
    'incident_timeline',
  ]) {
    const [{ n }] = await knex(table).count({ n: '*' });
    counts[table] = Number(n);
  }
  return counts;
}

async function timelineIds(knex: Knex, incidentId: string) {
  return knex('incident_timeline')
    .where({ incident_id: incidentId })
    .orderBy('seq')
    .pluck('entry_id');
}

/** Pairs of (incident, alert) stored more than once. */
async function duplicateIncidentAlerts(knex: Knex) {
  return knex('incident_alerts')
    .select('incident_id', 'alert_id')
    .count({ n: '*' })
    .groupBy('incident_id', 'alert_id')
    .havingRaw('count(*) > 1');
}

const changesOf = (suite: Suite) =>
  suite.announced.map(e => {
    const { change, incident } = e.eventPayload as {
      change: string;
      incident: Incident;
    };
    return { change, id: incident.id, alerts: incident.alertIds.length };
  });

describe.each(databases.eachSupportedId())(
  'correlation replicas on %s',
  databaseId => {
    const running: Suite[] = [];

    /** Starts a suite on the shared databases; stopped after the test unless stopped before. */
    async function start(shared: { ingest: Knex; correlation: Knex }) {
      const suite = await startSuite({ databases: shared });
      let stopped: Promise<void> | undefined;
      const stop = () => {
        stopped ??= suite.stop();
        return stopped;
      };
      const tracked = { ...suite, stop };
      running.push(tracked);
      return tracked;
    }

    afterEach(async () => {
      await Promise.all(running.splice(0).map(suite => suite.stop()));
    });

    async function sharedDatabases() {
      // Backends never destroy a client their database service hands out: the test backend's
      // own database factory is replaced by startSuite's, which registers no shutdown hook, and
      // neither plugin destroys its client. TestDatabases destroys them after all tests.
      return {
        ingest: await databases.init(databaseId),
        correlation: await databases.init(databaseId),
      };
    }

    it('two replicas on one database open one incident', async () => {
      const shared = await sharedDatabases();
      const a = await start(shared);
      const b = await start(shared);

      // Only A receives the storm (and its event); A correlates it straight away.
      await sendAlerts(a.server, storm());
      const [incident] = await eventually('the incident on A', async () => {
        const items = await listIncidents(a);
        return items.length === 1 && items[0].alertIds.length === 3 && items;
      });
      expect(b.announced).toEqual([]);
      expect(await suppressedInMemory(b, FRONTEND)).toEqual([]);
      const before = await tableCounts(shared.correlation);
      const timelineBefore = (await getIncident(a, incident.id)).timeline;

      // B reads ingest's feed on its tick and correlates the same alerts to the same incident.
      await b.tick();
      expect(changesOf(b)).toEqual([
        { change: 'updated', id: incident.id, alerts: 3 },
      ]);
      expect(changesOf(b).map(c => c.change)).not.toContain('opened');
      expect(await suppressedInMemory(b, FRONTEND)).toEqual(
        await suppressedInMemory(a, FRONTEND),
      );
      expect(await suppressedInMemory(b, FRONTEND)).not.toEqual([]);

      for (const suite of [a, b]) {
        const items = await listIncidents(suite);
        expect(items).toHaveLength(1);
        expect(items[0].id).toBe(incident.id);
        expect([...items[0].alertIds].sort()).toEqual(
          [...incident.alertIds].sort(),
        );
      }
      const [{ n }] = await shared.correlation('incidents').count({ n: '*' });
      expect(Number(n)).toBe(1);
      expect(await duplicateIncidentAlerts(shared.correlation)).toEqual([]);
      // B's replay of A's decisions stored nothing new.
      expect(await tableCounts(shared.correlation)).toEqual(before);
      const details = await getIncident(b, incident.id);
      expect(details.alerts).toHaveLength(3);
      expect(details.timeline).toEqual(timelineBefore);
      expect(
        details.timeline.filter(e => e.action === 'open-incident'),
      ).toHaveLength(1);

      // People act on either replica; the other one sees it.
      await request(b.server)
        .post(`${API}/incidents/${incident.id}/acknowledge`)
        .set('authorization', asUser())
        .expect(200);
      expect((await getIncident(a, incident.id)).incident).toMatchObject({
        status: 'acknowledged',
        acknowledgedAt: expect.any(String),
      });

      // Resolved on B; A learns of it from the store on its tick, so a new alert on cart
      // opens a new incident rather than joining the resolved one.
      await request(b.server)
        .post(`${API}/incidents/${incident.id}/resolve`)
        .set('authorization', asUser())
        .expect(200);
      await a.tick();
      await sendAlerts(a.server, cartLatency());
      const second = await eventually('a second incident on A', async () =>
        (await listIncidents(a)).find(i => i.id !== incident.id),
      );
      expect(second).toMatchObject({
        status: 'open',
        alertIds: [expect.any(String)],
      });
      expect(second.affectedEntityRefs).toContain(CART);
      const first = (await getIncident(a, incident.id)).incident;
      expect(first.status).toBe('resolved');
      expect(first.alertIds).toHaveLength(3);
      expect(first.alertIds).not.toContain(second.alertIds[0]);

      // B catches up with the new alert and lands on the same second incident.
      const heardByB = b.announced.length;
      await b.tick();
      expect(changesOf(b).slice(heardByB)).toEqual([
        { change: 'updated', id: second.id, alerts: 1 },
      ]);
      for (const suite of [a, b]) {
        expect((await listIncidents(suite)).map(i => i.id).sort()).toEqual(
          [incident.id, second.id].sort(),
        );
      }
      const [{ m }] = await shared.correlation('incidents').count({ m: '*' });
      expect(Number(m)).toBe(2);
      expect(await duplicateIncidentAlerts(shared.correlation)).toEqual([]);

      // Reopened on B; A follows on its tick, so the next cart alert joins the reopened
      // incident (the most recently active one of its group) on A as well. The reopened
      // incident, with its page-level alerts, then takes in the cart warning of the second
      // one (membership review), which resolves as merged into it.
      await request(b.server)
        .post(`${API}/incidents/${incident.id}/reopen`)
        .set('authorization', asUser())
        .expect(200);
      // As if B's clock were an hour behind A's: the reopen's time falls outside the margin A
      // reads people's recent changes with, and A's sweep of the incidents it holds finds it.
      await shared
        .correlation('incidents')
        .where({ id: incident.id })
        .update({ changed_by_person_at: new Date(Date.now() - 3_600_000) });
      await a.tick();
      await sendAlerts(
        a.server,
        alertmanagerGroup([
          {
            alertname: 'CartSaturation',
            service: 'cartservice',
            severity: 'warning',
            startsAt: minutesAgo(0),
          },
        ]),
      );
      const reopened = await eventually(
        'the reopened incident on A',
        async () => {
          const found = (await getIncident(a, incident.id)).incident;
          return found.alertIds.length === 5 && found;
        },
      );
      expect(reopened.status).toBe('open');
      expect(reopened.alertIds).toContain(second.alertIds[0]);
      expect((await getIncident(a, second.id)).incident).toMatchObject({
        status: 'resolved',
        mergedInto: incident.id,
      });
    });

    it('a restarted instance resumes from its checkpoint', async () => {
      const shared = await sharedDatabases();
      const a = await start(shared);
      await sendAlerts(a.server, storm());
      const [incident] = await eventually('the incident on A', async () => {
        const items = await listIncidents(a);
        return items.length === 1 && items[0].alertIds.length === 3 && items;
      });

      // A sends what it has to, so that the restart below has nothing left to write.
      await a.notify();
      // Shutdown saves where A had got to; the shared clients survive it.
      await a.stop();
      const checkpoints = await shared.correlation('correlation_checkpoints');
      expect(checkpoints).toHaveLength(1);
      const [{ last }] = await shared.ingest('alerts').max({ last: 'seq' });
      expect(Number(checkpoints[0].alert_cursor)).toBeGreaterThan(0);
      expect(Number(checkpoints[0].alert_cursor)).toBe(Number(last));
      const before = await tableCounts(shared.correlation);
      const timelineBefore = await timelineIds(shared.correlation, incident.id);

      // C starts from the checkpoint: it has the incident in memory without reading the feed
      // again (reading it would re-correlate the storm and announce the incident).
      const c = await start(shared);
      expect(c.announced).toEqual([]);
      expect(await suppressedInMemory(c, FRONTEND)).not.toEqual([]);
      expect(await tableCounts(shared.correlation)).toEqual(before);

      // A new alert on cart joins the restored incident.
      await sendAlerts(c.server, cartLatency());
      const joined = await eventually('the alert joining', async () => {
        const items = await listIncidents(c);
        return items.length === 1 && items[0].alertIds.length === 4 && items;
      });
      expect(joined[0].id).toBe(incident.id);
      expect(joined[0].status).toBe('open');
      expect(changesOf(c)).toEqual([
        { change: 'updated', id: incident.id, alerts: 4 },
      ]);

      const after = await tableCounts(shared.correlation);
      expect(after.incidents).toBe(1);
      expect(after.incident_alerts).toBe(before.incident_alerts + 1);
      expect(await duplicateIncidentAlerts(shared.correlation)).toEqual([]);
      const details = await getIncident(c, incident.id);
      expect(
        details.timeline.slice(0, timelineBefore.length).map(e => e.id),
      ).toEqual(timelineBefore);
      expect(
        details.timeline.filter(e => e.action === 'open-incident'),
      ).toHaveLength(1);
      expect(
        details.timeline.filter(e => e.action === 'reopen-incident'),
      ).toHaveLength(0);
    });
  },
);
