'use strict';

/**
 * What bench/chaos.js verifies after a crash, read from the plugins' PostgreSQL databases and
 * APIs and from the webhook receiver's log. Each check returns `{ name, ok, counts, samples }`:
 * `samples` holds a few offending ids, so a broken invariant says which rows broke it.
 */

const { Client } = require('pg');
const { PG } = require('./ingestBackend');

const SAMPLES = 5;

async function connect(database) {
  const client = new Client({ ...PG, database });
  await client.connect();
  return client;
}

/** Clients for the two plugins' databases of one prefix. */
async function openDatabases(prefix) {
  return {
    ingest: await connect(`${prefix}aiops-ingest`),
    correlation: await connect(`${prefix}aiops-correlation`),
    close() {
      return Promise.all([this.ingest.end(), this.correlation.end()]);
    },
  };
}

const count = async (client, sql, params) =>
  Number((await client.query(sql, params)).rows[0].n);

/** Where the pipeline stands: what `drain` waits on. */
async function pipelineState(dbs) {
  const stored = (await dbs.ingest.query('SELECT id FROM alerts')).rows.map(
    r => r.id,
  );
  const correlated = new Set(
    (
      await dbs.correlation.query(
        'SELECT DISTINCT alert_id FROM incident_alerts',
      )
    ).rows.map(r => r.alert_id),
  );
  return {
    storedAlerts: stored.length,
    storedAlertsInNoIncident: stored.filter(id => !correlated.has(id)),
    unroutedChanges: await count(
      dbs.correlation,
      'SELECT count(*) n FROM incident_changes WHERE routed_at IS NULL',
    ),
    webhooksWaiting: await count(
      dbs.correlation,
      `SELECT count(*) n FROM notification_deliveries
        WHERE channel = 'webhook' AND status IN ('pending', 'held')`,
    ),
  };
}

function check(name, counts, samples = {}) {
  const failing = Object.entries(counts).filter(
    ([key, value]) => !key.startsWith('info') && value !== 0,
  );
  return { name, ok: failing.length === 0, counts, samples };
}

/** Every alert some backend acknowledged with a 2xx is in ingest's alerts table. */
async function ackedAlertsStored(dbs, ackedIds) {
  const { rows } = await dbs.ingest.query(
    'SELECT id FROM alerts WHERE id = ANY($1)',
    [ackedIds],
  );
  const stored = new Set(rows.map(r => r.id));
  const missing = ackedIds.filter(id => !stored.has(id));
  return check(
    'every acknowledged alert is stored',
    { infoAcked: ackedIds.length, missing: missing.length },
    { missing: missing.slice(0, SAMPLES) },
  );
}

/** One incident per correlation key, one incident per alert, each incident opened once. */
async function noDuplicateIncidents(dbs) {
  const db = dbs.correlation;
  const keys = await db.query(
    `SELECT correlation_key, count(*) n, string_agg(id || ':' || status, ' ') incidents
       FROM incidents WHERE merged_into IS NULL
      GROUP BY correlation_key HAVING count(*) > 1`,
  );
  const alerts = await db.query(
    `SELECT alert_id, string_agg(incident_id, ' ') incidents FROM incident_alerts
      GROUP BY alert_id HAVING count(DISTINCT incident_id) > 1`,
  );
  const openedTwice = await db.query(
    `SELECT incident_id FROM incident_timeline WHERE action = 'open-incident'
      GROUP BY incident_id HAVING count(*) > 1`,
  );
  const openedChangeTwice = await db.query(
    `SELECT incident_id FROM incident_changes WHERE kind = 'opened'
      GROUP BY incident_id HAVING count(*) > 1`,
  );
  return check(
    'no duplicate incident',
    {
      infoIncidents: await count(db, 'SELECT count(*) n FROM incidents'),
      infoMerged: await count(
        db,
        'SELECT count(*) n FROM incidents WHERE merged_into IS NOT NULL',
      ),
      correlationKeysWithSeveralIncidents: keys.rowCount,
      alertsInSeveralIncidents: alerts.rowCount,
      incidentsOpenedTwiceOnTimeline: openedTwice.rowCount,
      incidentsWithTwoOpenedChanges: openedChangeTwice.rowCount,
    },
    {
      correlationKeys: keys.rows.slice(0, SAMPLES),
      alerts: alerts.rows.slice(0, SAMPLES),
      openedTwice: openedTwice.rows.slice(0, SAMPLES).map(r => r.incident_id),
    },
  );
}

/**
 * No notification delivered twice. Delivery is at least once at the edge (docs/notifications.md):
 * a process killed after the receiver got a message and before it recorded the outcome leaves
 * the row claimed; when the lease runs out, another process sends it again with the same
 * `x-aiops-delivery` id. So the checks are: no change reaches the receiver under two delivery
 * ids (what a receiver deduplicating by that id would still see twice); an id arrives twice
 * only if its first arrival was in flight to the killed process when it died; every row the
 * outbox marks delivered did arrive.
 */
async function noNotificationDeliveredTwice(
  dbs,
  receiver,
  { killedSender, killedAt, leaseMs },
) {
  const byId = new Map();
  const byChange = new Map();
  for (const d of receiver.received) {
    byId.set(d.deliveryId, [...(byId.get(d.deliveryId) ?? []), d]);
    if (d.type === 'digest') continue;
    const key = `${d.incidentId}|${d.change}|${d.changeAt}`;
    byChange.set(key, new Set([...(byChange.get(key) ?? []), d.deliveryId]));
  }
  const repeated = [...byId.entries()].filter(([, list]) => list.length > 1);
  // A message the killed process sent within a lease before it died, answered or not: it may
  // have died before recording the outcome, and the row's lease then runs out.
  const inCrashWindow = d =>
    d.sender === killedSender &&
    d.receivedAt <= killedAt &&
    killedAt - d.receivedAt <= leaseMs;
  const unexplained = repeated.filter(([, [first]]) => !inCrashWindow(first));
  const changeUnderSeveralIds = [...byChange.entries()].filter(
    ([, ids]) => ids.size > 1,
  );
  const { rows } = await dbs.correlation.query(
    `SELECT id, status FROM notification_deliveries WHERE channel = 'webhook'`,
  );
  const statuses = {};
  for (const row of rows)
    statuses[row.status] = (statuses[row.status] ?? 0) + 1;
  const deliveredNeverReceived = rows.filter(
    r => r.status === 'delivered' && !byId.has(r.id),
  );
  const stored = new Set(rows.map(r => r.id));
  const receivedUnknown = [...byId.keys()].filter(id => !stored.has(id));
  return check(
    'no notification delivered twice',
    {
      infoRequestsReceived: receiver.received.length,
      infoDistinctDeliveryIds: byId.size,
      infoUnansweredToKilledProcessAtKill: receiver.received.filter(
        d => inCrashWindow(d) && (d.answeredAt ?? Infinity) > killedAt,
      ).length,
      infoResentAfterCrashSameId: repeated.length - unexplained.length,
      resentOutsideTheCrashWindow: unexplained.length,
      changesReceivedUnderSeveralDeliveryIds: changeUnderSeveralIds.length,
      rowsMarkedDeliveredNeverReceived: deliveredNeverReceived.length,
      receivedIdsUnknownToTheOutbox: receivedUnknown.length,
    },
    {
      infoWebhookRowsByStatus: statuses,
      resentAfterCrash: repeated.slice(0, SAMPLES).map(([id, list]) => ({
        id,
        senders: list.map(d => d.sender),
        change: list[0].change,
        firstReceivedMsBeforeKill: killedAt - list[0].receivedAt,
        firstAnsweredBeforeKill: (list[0].answeredAt ?? Infinity) <= killedAt,
      })),
      resentOutsideTheCrashWindow: unexplained
        .slice(0, SAMPLES)
        .map(([id]) => id),
      changesUnderSeveralIds: changeUnderSeveralIds
        .slice(0, SAMPLES)
        .map(([change, ids]) => ({ change, ids: [...ids] })),
      deliveredNeverReceived: deliveredNeverReceived
        .slice(0, SAMPLES)
        .map(r => r.id),
    },
  );
}

async function readAll(baseUrl, path, token) {
  const ids = [];
  let cursor;
  for (let page = 0; page < 1000; page++) {
    const url = `${baseUrl}${path}?limit=100${
      cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    }`;
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok)
      throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
    const body = await res.json();
    ids.push(...body.items.map(i => i.id));
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
  }
  return ids;
}

async function suppressedOn(baseUrl, entityRef, token) {
  const url = `${baseUrl}/api/aiops-correlation/entities/${encodeURIComponent(
    entityRef,
  )}/health`;
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  const body = await res.json();
  return JSON.stringify(body.suppressedAlerts.map(a => a.alertId).sort());
}

/**
 * The feeds filled what the crash lost: every stored alert is in an incident, every incident's
 * changes are routed, and both processes — the restarted one included — serve every incident
 * and keep the same in-memory view (alerts they keep quiet per entity).
 */
async function feedsCaughtUp(dbs, { backends, readerToken }) {
  const state = await pipelineState(dbs);
  const db = dbs.correlation;
  const incidentIds = (await db.query('SELECT id FROM incidents')).rows.map(
    r => r.id,
  );
  const withoutOpened = (
    await db.query(
      `SELECT id FROM incidents i WHERE NOT EXISTS
         (SELECT 1 FROM incident_changes c WHERE c.incident_id = i.id AND c.kind = 'opened')`,
    )
  ).rows.map(r => r.id);
  const counts = {
    infoStoredAlerts: state.storedAlerts,
    storedAlertsInNoIncident: state.storedAlertsInNoIncident.length,
    unroutedChanges: state.unroutedChanges,
    incidentsWithoutOpenedChange: withoutOpened.length,
  };
  const samples = {
    storedAlertsInNoIncident: state.storedAlertsInNoIncident.slice(0, SAMPLES),
    incidentsWithoutOpenedChange: withoutOpened.slice(0, SAMPLES),
  };
  const entityRefs = (
    await db.query(
      `SELECT DISTINCT e.entity_ref FROM incident_entities e
         JOIN incidents i ON i.id = e.incident_id WHERE i.status = 'open'`,
    )
  ).rows.map(r => r.entity_ref);
  const views = [];
  for (const { label, baseUrl } of backends) {
    const listed = new Set(
      await readAll(baseUrl, '/api/aiops-correlation/incidents', readerToken),
    );
    const notListed = incidentIds.filter(id => !listed.has(id));
    counts[`incidentsNotListedBy_${label}`] = notListed.length;
    samples[`incidentsNotListedBy_${label}`] = notListed.slice(0, SAMPLES);
    const view = new Map();
    for (const ref of entityRefs)
      view.set(ref, await suppressedOn(baseUrl, ref, readerToken));
    views.push(view);
  }
  const disagree = entityRefs.filter(
    ref => views[0].get(ref) !== views[1].get(ref),
  );
  counts.infoEntitiesCompared = entityRefs.length;
  counts.entitiesWhereTheProcessesDisagree = disagree.length;
  samples.entitiesWhereTheProcessesDisagree = disagree
    .slice(0, SAMPLES)
    .map(ref => ({
      entityRef: ref,
      ...Object.fromEntries(
        backends.map(({ label }, i) => [label, JSON.parse(views[i].get(ref))]),
      ),
    }));
  return check('the feeds filled what the crash lost', counts, samples);
}

module.exports = {
  openDatabases,
  pipelineState,
  ackedAlertsStored,
  noDuplicateIncidents,
  noNotificationDeliveredTwice,
  feedsCaughtUp,
};
