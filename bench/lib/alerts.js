'use strict';

/**
 * Alert generator shared by every target, so the ingest plugin and Alertmanager see the same
 * alerts: same labels, annotations and timestamps, the same mix of new alerts, repeats and
 * resolves. Deterministic for a given seed.
 */

const ALERT_NAMES = [
  'HighErrorRate',
  'HighLatencyP99',
  'PodCrashLooping',
  'PodNotReady',
  'CPUThrottlingHigh',
  'MemoryNearLimit',
  'DiskFillingUp',
  'TargetDown',
];
const SEVERITIES = ['critical', 'warning', 'warning', 'info'];

/** Services the bench catalog knows (Component `svc-NN`, annotation aiops/service-name). */
const SERVICE_COUNT = 50;
const serviceName = i => `service-${String(i).padStart(2, '0')}`;

/** Share of alerts whose `job` names no catalog entity (stored as unowned). */
const UNOWNED_SHARE = 0.02;
/** Share of deliveries that repeat an alert already sent (Alertmanager re-notifies). */
const REPEAT_SHARE = 0.1;
/** Share of deliveries that resolve an alert already sent. */
const RESOLVE_SHARE = 0.05;
/** How far back repeats and resolves reach. */
const RECENT = 20_000;

/** The catalog the ingest plugin keys against. */
function benchCatalog() {
  const entities = [];
  for (let i = 0; i < SERVICE_COUNT; i++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${String(i).padStart(2, '0')}`,
        namespace: 'default',
        annotations: { 'aiops/service-name': serviceName(i) },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/team-${i % 7}`,
      },
      relations: [
        { type: 'ownedBy', targetRef: `group:default/team-${i % 7}` },
      ],
    });
  }
  for (let t = 0; t < 7; t++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${t}`, namespace: 'default' },
      spec: { type: 'team', children: [] },
    });
  }
  return entities;
}

/** Small deterministic PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Produces alerts: mostly new ones (a new `instance` label, hence a new fingerprint), some
 * repeats of recent ones, some resolves of recent ones. `prefix` keeps scenarios apart when
 * they share a database.
 */
function createAlertSource({ seed, prefix }) {
  const random = prng(seed);
  const sent = []; // ring of recent alerts
  let next = 0;
  const baseTime = Date.now() - 3600_000;

  function fresh() {
    const n = next++;
    const unowned = random() < UNOWNED_SHARE;
    const job = unowned
      ? `legacy-batch-${n % 13}`
      : serviceName(Math.floor(random() * SERVICE_COUNT));
    const alertname = ALERT_NAMES[Math.floor(random() * ALERT_NAMES.length)];
    const severity = SEVERITIES[Math.floor(random() * SEVERITIES.length)];
    const instance = `${prefix}-${n}`;
    return {
      // Stable per alert, hex like Alertmanager's; only our endpoint reads it.
      fingerprint: `${(seed & 0xffff).toString(16).padStart(4, '0')}${n
        .toString(16)
        .padStart(12, '0')}`,
      labels: {
        alertname,
        job,
        severity,
        namespace: 'boutique',
        instance,
        pod: `${job}-${((n * 2654435761) >>> 0).toString(36)}`,
      },
      annotations: {
        summary: `${alertname} on ${job}`,
        description: `${alertname} has been active on ${job} (${instance}) for more than 5 minutes.`,
        runbook_url: `https://runbooks.example.invalid/${alertname}`,
      },
      startsAt: new Date(baseTime + n).toISOString(),
      generatorURL: `http://prometheus.example.invalid:9090/graph?g0.expr=${alertname}`,
    };
  }

  /** One delivery: the alert and whether it is resolved in this delivery. */
  function nextDelivery() {
    const roll = random();
    if (sent.length > 100 && roll < REPEAT_SHARE + RESOLVE_SHARE) {
      const alert = sent[Math.floor(random() * sent.length)];
      if (roll < REPEAT_SHARE) return { alert, resolved: false };
      return { alert, resolved: true };
    }
    const alert = fresh();
    if (sent.length < RECENT) sent.push(alert);
    else sent[Math.floor(random() * RECENT)] = alert;
    return { alert, resolved: false };
  }

  return { nextDelivery };
}

/** Alertmanager webhook (version 4), what Alertmanager sends to our receiver. */
function webhookBody(deliveries, nowIso) {
  const alerts = deliveries.map(({ alert, resolved }) => ({
    status: resolved ? 'resolved' : 'firing',
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    endsAt: resolved ? nowIso : '0001-01-01T00:00:00Z',
    generatorURL: alert.generatorURL,
    fingerprint: alert.fingerprint,
  }));
  return {
    receiver: 'aiops',
    status: alerts.some(a => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: { namespace: 'boutique' },
    commonLabels: { namespace: 'boutique' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.invalid:9093',
    version: '4',
    groupKey: '{}:{namespace="boutique"}',
    truncatedAlerts: 0,
  };
}

/** Alertmanager API v2 `POST /api/v2/alerts`: a JSON array of postable alerts. */
function alertmanagerApiBody(deliveries, nowIso) {
  return deliveries.map(({ alert, resolved }) => ({
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    ...(resolved && { endsAt: nowIso }),
    generatorURL: alert.generatorURL,
  }));
}

module.exports = {
  benchCatalog,
  createAlertSource,
  webhookBody,
  alertmanagerApiBody,
  SERVICE_COUNT,
  UNOWNED_SHARE,
  REPEAT_SHARE,
  RESOLVE_SHARE,
};
