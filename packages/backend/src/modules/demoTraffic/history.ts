import { type AlertmanagerWebhook, alertmanagerFingerprint } from './storyline';

/**
 * The demo's incident history: past incidents of the demo catalog, each with what fixed it, so
 * that "Similar past incidents" has something to find when the storyline's first incident
 * opens (docs/retrieval.md). Each is played once through the real APIs (see historySeeder.ts):
 * its alerts fire through ingest, correlation opens the incident, the alerts resolve, and the
 * incident is resolved with its note and postmortem link through correlation's resolve API.
 *
 * A past incident's first alert is its cause; it is critical when critical symptoms follow, as
 * correlation lets no warnings-only incident take in a page-level alert.
 *
 * Every alert carries a `demo_history` label naming its past incident: that gives it its own
 * fingerprint (so it never reopens, or is reopened by, the storyline's alerts of the same
 * name) and lets the seeder see which past incidents it has already played.
 */
export interface PastIncident {
  /** Stable: the `demo_history` label's value, and how the seeder knows it played it. */
  key: string;
  /** The entity the first alert keys to in the demo catalog. */
  entityRef: string;
  /** Alertmanager alerts, sent together so correlation groups them as it would then. */
  alerts: Array<{
    labels: Record<string, string> & { alertname: string };
    annotations: Record<string, string>;
  }>;
  resolution: { note: string; postmortemUrl?: string };
}

export const HISTORY_LABEL = 'demo_history';
const POSTMORTEMS = 'https://postmortems.acme.example';

// prettier-ignore
export const HISTORY: PastIncident[] = [
  {
    key: 'redis-cart-oom',
    entityRef: 'resource:default/redis-cart',
    alerts: [
      { labels: { alertname: 'RedisCartLatencyHigh', job: 'redis-cart', namespace: 'boutique', severity: 'critical' },
        annotations: { summary: 'redis-cart p99 command latency above 50ms', description: 'redis-cart was evicting keys and restarting: used memory at the pod limit.' } },
      { labels: { alertname: 'CartErrorRate', job: 'cartservice', namespace: 'boutique', severity: 'critical' },
        annotations: { summary: 'cartservice is failing more than 5% of requests', description: 'GetCart and AddItem time out talking to redis-cart.' } },
    ],
    resolution: {
      note: 'redis-cart was OOM-killed: its dataset outgrew the 1Gi memory limit and it restarted every few minutes. Raised the memory limit to 2Gi, set maxmemory 1.5gb with allkeys-lru, restarted redis-cart; cart recovered within two minutes.',
      postmortemUrl: `${POSTMORTEMS}/PM-1042`,
    },
  },
  {
    key: 'cart-keys-scan-deploy',
    entityRef: 'resource:default/redis-cart',
    alerts: [
      { labels: { alertname: 'RedisCartLatencyHigh', job: 'redis-cart', namespace: 'boutique', severity: 'critical' },
        annotations: { summary: 'redis-cart p99 command latency above 50ms', description: 'redis-cart has answered commands slower than 50 ms at p99 for 1 minute.' } },
      { labels: { alertname: 'CartErrorRate', job: 'cartservice', namespace: 'boutique', severity: 'critical' },
        annotations: { summary: 'cartservice is failing more than 5% of requests', description: 'More than 5% of cartservice gRPC requests returned an error.' } },
      { labels: { alertname: 'CheckoutErrorRate', service: 'checkoutservice', namespace: 'boutique', severity: 'critical' },
        annotations: { summary: 'checkoutservice is failing more than 5% of orders', description: 'PlaceOrder fails when cart does not answer.' } },
    ],
    resolution: {
      note: 'The new cart release ran KEYS cart:* on every GetCart, which blocked redis-cart for everyone. Rolled cart back to the previous version; redis-cart latency was normal three minutes later. Follow-up: cart reads the user\'s hash directly, and a lint rule forbids KEYS/SCAN in request paths.',
      postmortemUrl: `${POSTMORTEMS}/PM-1077`,
    },
  },
  {
    key: 'redis-cart-aof-stall',
    entityRef: 'resource:default/redis-cart',
    alerts: [
      { labels: { alertname: 'RedisCartLatencyHigh', job: 'redis-cart', namespace: 'boutique', severity: 'warning' },
        annotations: { summary: 'redis-cart p99 command latency above 50ms', description: 'Latency spikes every time the AOF is rewritten.' } },
    ],
    resolution: {
      note: 'AOF rewrites on the shared HDD volume stalled redis-cart\'s fsync. Restarted redis-cart on a node with an SSD volume and set appendfsync everysec with no-appendfsync-on-rewrite yes.',
    },
  },
  {
    key: 'cart-stale-redis-pool',
    entityRef: 'component:default/cart',
    alerts: [
      { labels: { alertname: 'CartErrorRate', job: 'cartservice', namespace: 'boutique', severity: 'critical' },
        annotations: { summary: 'cartservice is failing more than 5% of requests', description: 'cartservice logs "connection reset by peer" from redis-cart.' } },
      { labels: { alertname: 'FrontendHighLatency', app: 'frontend', namespace: 'boutique', severity: 'warning' },
        annotations: { summary: 'frontend p99 latency above 1s', description: 'The cart page waits on cartservice.' } },
    ],
    resolution: {
      note: 'redis-cart was rescheduled during a node drain and cart kept its stale connection pool. Restarted the cart pods to reconnect; added a Redis ping to cart\'s readiness probe so it recycles the pool itself.',
      postmortemUrl: `${POSTMORTEMS}/PM-1088`,
    },
  },
  {
    key: 'checkout-bad-deploy',
    entityRef: 'component:default/checkout',
    alerts: [
      { labels: { alertname: 'CheckoutErrorRate', service: 'checkoutservice', namespace: 'boutique', severity: 'critical' },
        annotations: { summary: 'checkoutservice is failing more than 5% of orders', description: 'PlaceOrder times out after the checkout release.' } },
      { labels: { alertname: 'FrontendHighLatency', app: 'frontend', namespace: 'boutique', severity: 'warning' },
        annotations: { summary: 'frontend p99 latency above 1s', description: 'Checkout pages are slow.' } },
    ],
    resolution: {
      note: 'The checkout release retried payment charges three times with a 10 s timeout each, so orders piled up. Rolled checkout back with the pipeline\'s rollback; added a canary stage that watches checkout p99 before the full rollout.',
      postmortemUrl: `${POSTMORTEMS}/PM-1103`,
    },
  },
  {
    key: 'frontend-productcatalog-reload',
    entityRef: 'component:default/frontend',
    alerts: [
      { labels: { alertname: 'FrontendHighLatency', app: 'frontend', namespace: 'boutique', severity: 'warning' },
        annotations: { summary: 'frontend p99 latency above 1s', description: 'Product pages are slow.' } },
      { labels: { alertname: 'ProductCatalogLatencyHigh', job: 'productcatalog', namespace: 'boutique', severity: 'warning' },
        annotations: { summary: 'productcatalog p99 latency above 200ms', description: 'ListProducts and GetProduct are slow.' } },
    ],
    resolution: {
      note: 'A config change turned on productcatalog\'s reload of products.json on every request. Reverted the flag; frontend p99 was back under 300 ms within a minute.',
    },
  },
  {
    key: 'ledger-db-wal-disk',
    entityRef: 'resource:default/ledger-db',
    alerts: [
      { labels: { alertname: 'LedgerDbDiskFull', job: 'ledger-db', namespace: 'payments', severity: 'critical' },
        annotations: { summary: 'Disk 93% full on ledger-db-0 (/var/lib/postgresql)', description: 'pg_wal is growing: WAL segments are not being archived.' } },
    ],
    resolution: {
      note: 'archive_command pointed at a bucket that had been deleted, so pg_wal kept every segment and filled the disk. Fixed archive_command, let the archiver catch up, and grew the volume to 200 GiB; added an alert on archiver failures.',
      postmortemUrl: `${POSTMORTEMS}/PM-1120`,
    },
  },
  {
    key: 'payment-gateway-tls',
    entityRef: 'component:default/payment-gateway',
    alerts: [
      { labels: { alertname: 'PaymentGatewayErrorRate', job: 'payment-gateway', namespace: 'payments', severity: 'critical' },
        annotations: { summary: 'payment-gateway is failing more than 2% of charges', description: 'TLS handshakes with the card processor fail.' } },
    ],
    resolution: {
      note: 'The card processor rotated its TLS certificate and payment-gateway still pinned the old one. Updated the pinned CA bundle and restarted payment-gateway; pinning now follows the processor\'s published bundle.',
      postmortemUrl: `${POSTMORTEMS}/PM-1131`,
    },
  },
];

const ALERTMANAGER_URL = 'http://alertmanager.monitoring.svc:9093';
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Between the onsets of a past incident's alerts: the cause first, its symptoms after. */
export const ONSET_STEP_MS = 30_000;

/**
 * The Alertmanager webhooks of a past incident's alerts, firing or resolved at `time`: one per
 * alert (group_by [alertname], as the storyline's route), the first starting at `startsAt`.
 */
export function pastIncidentWebhooks(
  past: PastIncident,
  status: 'firing' | 'resolved',
  startsAt: number,
  time: number,
): AlertmanagerWebhook[] {
  return past.alerts.map((spec, index) => {
    const labels = { ...spec.labels, [HISTORY_LABEL]: past.key };
    const name = spec.labels.alertname;
    return {
      receiver: 'aiops',
      status,
      alerts: [
        {
          status,
          labels,
          annotations: { ...spec.annotations },
          startsAt: new Date(startsAt + index * ONSET_STEP_MS).toISOString(),
          endsAt:
            status === 'firing' ? ZERO_TIME : new Date(time).toISOString(),
          generatorURL: `http://prometheus.monitoring.svc:9090/alerts?search=${name}`,
          fingerprint: alertmanagerFingerprint(labels),
        },
      ],
      groupLabels: { alertname: name },
      commonLabels: labels,
      commonAnnotations: { ...spec.annotations },
      externalURL: ALERTMANAGER_URL,
      version: '4',
      groupKey: `{}:{alertname="${name}",${HISTORY_LABEL}="${past.key}"}`,
      truncatedAlerts: 0,
    };
  });
}
