import { createHash } from 'node:crypto';

/**
 * The repeating incident storyline. Everything here is a pure function of the time, the
 * storyline's origin (cycle 0 starts there) and the send window; nothing is remembered between
 * ticks, so a tick that is late, early or repeated sends the same thing a punctual one would.
 *
 * One cycle (18 minutes, minute:second of the cycle):
 *
 * - 0:06 cart deploys a new version (started, succeeded at 1:15). The new build issues a
 *   `SCAN cart:*` on every GetCart.
 * - 2:00–4:00 redis-cart latency climbs; cart times out and fails, checkout and frontend fail
 *   with it; from 4:00 the degradation is at its peak.
 * - 3:00 RedisCartLatencyHigh (job=redis-cart), 3:30 CartErrorRate (job=cartservice),
 *   4:00 CheckoutErrorRate (service=checkoutservice), 4:30 FrontendHighLatency (app=frontend)
 *   fire, Alertmanager webhook format.
 * - 7:30 on-call rolls cart back (the deployment becomes rolled_back; the rollback is a
 *   deployment of the previous version, done at 8:15); latency is normal by 8:45. Every cycle
 *   releases a new cart version and rolls back to the same baseline.
 * - 9:00–9:30 the four alerts resolve.
 * - 9:40 a CI job reports a ledger-db configuration deploy (a new archive_command) as a
 *   PagerDuty change event, keyed by custom_details.service (see changeEvents.ts).
 * - 10:00 ledger-db's WAL archiving starts failing and its disk fills (70 % → 96 % at 14:30).
 * - 12:00 a generic (PagerDuty-like) alert for ledger-db's disk triggers; critical from 90 %.
 *   Its incident shows the 9:40 change as what changed (deploy-linked).
 * - 13:00–16:30, every other cycle, FanSpeedLow on instance rack7-node3: keys to nothing.
 * - 14:00, the other cycles, a harmless productcatalog deployment.
 * - 14:30 archiving is fixed, the disk drains; 16:00 the disk alert resolves.
 */

export const MINUTE_MS = 60_000;
export const CYCLE_MS = 18 * MINUTE_MS;

const at = (minutes: number) => Math.round(minutes * MINUTE_MS);

// prettier-ignore
export const TIMELINE = {
  cartDeployStarted: at(0.1),
  cartDeploySucceeded: at(1.25),
  redisRampStart: at(2),
  redisPeak: at(4),
  rollbackStarted: at(7.5),
  rollbackSucceeded: at(8.25),
  redisCalm: at(8.75),
  ledgerConfigChanged: at(9 + 40 / 60),
  walArchiveFailing: at(10),
  diskAlertTriggered: at(12),
  walArchiveFixed: at(14.5),
  diskDrained: at(15.25),
  diskAlertResolved: at(16),
  fanFailing: at(13),
  fanRecovered: at(16.5),
  productcatalogDeployStarted: at(14),
  productcatalogDeploySucceeded: at(14.75),
} as const;

/** How long a state change keeps being re-sent (senders repeat; receivers are idempotent). */
export function sendWindowMs(intervalMs: number): number {
  return Math.max(3 * MINUTE_MS, 2 * intervalMs);
}

export interface CyclePosition {
  /** 0 for the cycle that starts at the origin; negative before it. */
  cycle: number;
  cycleStart: number;
  /** Milliseconds since the cycle started. */
  phase: number;
}

export function positionAt(time: number, origin: number): CyclePosition {
  const cycle = Math.floor((time - origin) / CYCLE_MS);
  const cycleStart = origin + cycle * CYCLE_MS;
  return { cycle, cycleStart, phase: time - cycleStart };
}

const smoothstep = (x: number) => {
  const t = Math.min(1, Math.max(0, x));
  return t * t * (3 - 2 * t);
};

/** 0 (healthy) to 1 (peak): how badly redis-cart is degraded. Quiet before the origin. */
export function redisStress(time: number, origin: number): number {
  const { cycle, phase } = positionAt(time, origin);
  if (cycle < 0) return 0;
  const t = TIMELINE;
  if (phase < t.redisRampStart || phase >= t.redisCalm) return 0;
  if (phase < t.redisPeak)
    return smoothstep(
      (phase - t.redisRampStart) / (t.redisPeak - t.redisRampStart),
    );
  if (phase < t.rollbackSucceeded) return 1;
  return (
    1 -
    smoothstep(
      (phase - t.rollbackSucceeded) / (t.redisCalm - t.rollbackSucceeded),
    )
  );
}

/** Whether cart runs the build with the SCAN bug. */
export function cartBuggyBuildLive(time: number, origin: number): boolean {
  const { cycle, phase } = positionAt(time, origin);
  return (
    cycle >= 0 &&
    phase >= TIMELINE.cartDeploySucceeded &&
    phase < TIMELINE.rollbackSucceeded
  );
}

const DISK_BASE = 0.7;
const DISK_PEAK = 0.96;

/** ledger-db's data volume utilisation (0–1), without noise. */
export function ledgerDiskUtilization(time: number, origin: number): number {
  const { cycle, phase } = positionAt(time, origin);
  const t = TIMELINE;
  if (cycle < 0 || phase < t.walArchiveFailing || phase >= t.diskDrained)
    return DISK_BASE;
  if (phase < t.walArchiveFixed) {
    return (
      DISK_BASE +
      ((DISK_PEAK - DISK_BASE) * (phase - t.walArchiveFailing)) /
        (t.walArchiveFixed - t.walArchiveFailing)
    );
  }
  return (
    DISK_PEAK -
    ((DISK_PEAK - DISK_BASE) * (phase - t.walArchiveFixed)) /
      (t.diskDrained - t.walArchiveFixed)
  );
}

/** Whether ledger-db's WAL archiver is failing (it logs warnings while it does). */
export function walArchiveFailing(time: number, origin: number): boolean {
  const { cycle, phase } = positionAt(time, origin);
  return (
    cycle >= 0 &&
    phase >= TIMELINE.walArchiveFailing &&
    phase < TIMELINE.walArchiveFixed
  );
}

/**
 * A version for a build released in the cycle starting at `cycleStart`: `<major>.<day>.<n>`,
 * day counted from 2024-10-04 and n the 18-minute slot of that (UTC) day, so versions only go
 * up, across restarts too.
 */
export function releaseVersion(major: number, cycleStart: number): string {
  const day = Math.floor(cycleStart / 86_400_000);
  const slot = Math.floor((cycleStart - day * 86_400_000) / CYCLE_MS);
  return `${major}.${Math.max(0, day - 20_000)}.${slot}`;
}

export const CART_MAJOR = 2;
const PRODUCTCATALOG_MAJOR = 0;

/**
 * The cart version that runs outside the incident: the one every cycle's release is rolled back
 * to. It is fixed for the life of the process (the release before the origin).
 */
export function cartBaselineVersion(origin: number): string {
  return releaseVersion(CART_MAJOR, origin - CYCLE_MS);
}

/** The cart version running at `time`: the cycle's release while it is live, else the baseline. */
export function cartVersionAt(time: number, origin: number): string {
  return cartBuggyBuildLive(time, origin)
    ? releaseVersion(CART_MAJOR, positionAt(time, origin).cycleStart)
    : cartBaselineVersion(origin);
}

export function fakeCommit(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex');
}

// --- deployments (generic format: POST /deployments) ---

export interface GenericDeployment {
  id: string;
  service: string;
  environment: string;
  version: string;
  previousVersion: string;
  status: 'started' | 'succeeded' | 'failed' | 'rolled_back';
  startedAt: string;
  finishedAt?: string;
  url: string;
  commit: string;
  actor: string;
  labels: Record<string, string>;
}

interface DeploymentSpec {
  key: string;
  service: string;
  namespace: string;
  actor: string;
  pipeline: string;
  /** Cycles it happens in. */
  when: (cycle: number) => boolean;
  versions: (
    cycleStart: number,
    origin: number,
  ) => { version: string; previousVersion: string };
  /** Status changes, in order; the first is the start. */
  transitions: Array<{ at: number; status: GenericDeployment['status'] }>;
}

const DEPLOYMENTS: DeploymentSpec[] = [
  {
    key: 'cart',
    service: 'cartservice',
    namespace: 'boutique',
    actor: 'alice',
    pipeline: 'cartservice',
    when: () => true,
    versions: (start, origin) => ({
      version: releaseVersion(CART_MAJOR, start),
      previousVersion: cartBaselineVersion(origin),
    }),
    transitions: [
      { at: TIMELINE.cartDeployStarted, status: 'started' },
      { at: TIMELINE.cartDeploySucceeded, status: 'succeeded' },
      { at: TIMELINE.rollbackStarted, status: 'rolled_back' },
    ],
  },
  {
    key: 'cart-rollback',
    service: 'cartservice',
    namespace: 'boutique',
    actor: 'oncall-checkout',
    pipeline: 'cartservice-rollback',
    when: () => true,
    versions: (start, origin) => ({
      version: cartBaselineVersion(origin),
      previousVersion: releaseVersion(CART_MAJOR, start),
    }),
    transitions: [
      { at: TIMELINE.rollbackStarted, status: 'started' },
      { at: TIMELINE.rollbackSucceeded, status: 'succeeded' },
    ],
  },
  {
    key: 'productcatalog',
    service: 'productcatalogservice',
    namespace: 'boutique',
    actor: 'bob',
    pipeline: 'productcatalogservice',
    when: cycle => cycle % 2 === 1,
    versions: start => ({
      version: releaseVersion(PRODUCTCATALOG_MAJOR, start),
      previousVersion: releaseVersion(
        PRODUCTCATALOG_MAJOR,
        start - 2 * CYCLE_MS,
      ),
    }),
    transitions: [
      { at: TIMELINE.productcatalogDeployStarted, status: 'started' },
      { at: TIMELINE.productcatalogDeploySucceeded, status: 'succeeded' },
    ],
  },
];

/** The cycles whose events may still be sent at `time`: this one and the previous one. */
export function recentCycles(time: number, origin: number): CyclePosition[] {
  const now = positionAt(time, origin);
  const previous = {
    cycle: now.cycle - 1,
    cycleStart: now.cycleStart - CYCLE_MS,
    phase: now.phase + CYCLE_MS,
  };
  return [now, previous].filter(position => position.cycle >= 0);
}

export function deploymentsAt(
  time: number,
  origin: number,
  windowMs: number,
): GenericDeployment[] {
  const out = new Map<string, GenericDeployment>();
  for (const { cycle, cycleStart, phase } of recentCycles(time, origin)) {
    for (const spec of DEPLOYMENTS) {
      if (!spec.when(cycle)) continue;
      const current = [...spec.transitions].reverse().find(t => t.at <= phase);
      if (!current || phase - current.at >= windowMs) continue;
      const startedAt = cycleStart + spec.transitions[0].at;
      const finished = spec.transitions.find(
        t => t.status !== 'started' && t.at <= phase,
      );
      const id = `demo/${spec.pipeline}/${new Date(startedAt).toISOString()}`;
      if (out.has(id)) continue;
      const { version, previousVersion } = spec.versions(cycleStart, origin);
      out.set(id, {
        id,
        service: spec.service,
        environment: 'production',
        version,
        previousVersion,
        status: current.status,
        startedAt: new Date(startedAt).toISOString(),
        ...(finished && {
          finishedAt: new Date(cycleStart + finished.at).toISOString(),
        }),
        url: `https://ci.acme.example/pipelines/${spec.pipeline}/${
          Math.floor(startedAt / CYCLE_MS) % 100_000
        }`,
        commit: fakeCommit(spec.pipeline, version),
        actor: spec.actor,
        labels: {
          namespace: spec.namespace,
          'app.kubernetes.io/part-of': 'online-boutique',
        },
      });
    }
  }
  return [...out.values()];
}

// --- Alertmanager alerts (POST /alerts/alertmanager) ---

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerWebhook {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: AlertmanagerAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
}

interface AlertSpec {
  labels: Record<string, string> & { alertname: string };
  annotations: Record<string, string>;
  expr: string;
  start: number;
  end: number;
  when: (cycle: number) => boolean;
}

const PROMETHEUS_URL = 'http://prometheus.monitoring.svc:9090';
const ALERTMANAGER_URL = 'http://alertmanager.monitoring.svc:9093';

// prettier-ignore
const ALERTS: AlertSpec[] = [
  {
    labels: { alertname: 'RedisCartLatencyHigh', job: 'redis-cart', namespace: 'boutique', instance: 'redis-cart:6379', severity: 'warning' },
    annotations: {
      summary: 'redis-cart p99 command latency above 50ms',
      description: 'redis-cart has answered commands slower than 50 ms at p99 for 1 minute.',
    },
    expr: 'histogram_quantile(0.99, sum by (le) (rate(redis_commands_duration_seconds_bucket{job="redis-cart"}[1m]))) > 0.05',
    start: at(3), end: at(9), when: () => true,
  },
  {
    labels: { alertname: 'CartErrorRate', job: 'cartservice', namespace: 'boutique', severity: 'critical' },
    annotations: {
      summary: 'cartservice is failing more than 5% of requests',
      description: 'More than 5% of cartservice gRPC requests returned an error over the last 2 minutes.',
      runbook_url: 'https://runbooks.acme.example/cart',
    },
    expr: 'sum(rate(grpc_server_handled_total{job="cartservice",grpc_code!="OK"}[2m])) / sum(rate(grpc_server_handled_total{job="cartservice"}[2m])) > 0.05',
    start: at(3.5), end: at(9), when: () => true,
  },
  {
    labels: { alertname: 'CheckoutErrorRate', job: 'kubernetes-service-endpoints', service: 'checkoutservice', namespace: 'boutique', severity: 'critical' },
    annotations: {
      summary: 'checkoutservice is failing more than 5% of orders',
      description: 'More than 5% of PlaceOrder calls failed over the last 2 minutes.',
      runbook_url: 'https://runbooks.acme.example/checkout',
    },
    expr: 'sum(rate(grpc_server_handled_total{service="checkoutservice",grpc_code!="OK"}[2m])) / sum(rate(grpc_server_handled_total{service="checkoutservice"}[2m])) > 0.05',
    start: at(4), end: at(9.25), when: () => true,
  },
  {
    labels: { alertname: 'FrontendHighLatency', app: 'frontend', namespace: 'boutique', severity: 'warning' },
    annotations: {
      summary: 'frontend p99 latency above 1s',
      description: 'The shop has answered slower than 1 s at p99 for 2 minutes.',
      runbook_url: 'https://runbooks.acme.example/frontend',
    },
    expr: 'histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{app="frontend"}[2m]))) > 1',
    start: at(4.5), end: at(9.5), when: () => true,
  },
  {
    labels: { alertname: 'FanSpeedLow', instance: 'rack7-node3', job: 'ipmi-exporter', sensor: 'FAN3', severity: 'warning' },
    annotations: {
      summary: 'Fan FAN3 on rack7-node3 below 1500 rpm',
      description: 'A chassis fan is failing; the node may throttle or shut down when it overheats.',
    },
    expr: 'ipmi_fan_speed_rpm{instance="rack7-node3"} < 1500',
    start: TIMELINE.fanFailing, end: TIMELINE.fanRecovered, when: cycle => cycle % 2 === 0,
  },
];

/** The names of the Alertmanager alerts of the storyline, in firing order. */
export const ALERT_NAMES = ALERTS.map(a => a.labels.alertname);

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const UINT64 = 0xffffffffffffffffn;

/**
 * Alertmanager's fingerprint of a label set (Prometheus `LabelSet.Fingerprint`): FNV-1a 64 over
 * the labels sorted by name, each name and value followed by the 0xff separator, in 16 hex digits.
 */
export function alertmanagerFingerprint(
  labels: Record<string, string>,
): string {
  let hash = FNV64_OFFSET;
  const add = (bytes: Iterable<number>) => {
    for (const byte of bytes) {
      hash = ((hash ^ BigInt(byte)) * FNV64_PRIME) & UINT64;
    }
  };
  for (const name of Object.keys(labels).sort()) {
    add(Buffer.from(name, 'utf8'));
    add([0xff]);
    add(Buffer.from(labels[name], 'utf8'));
    add([0xff]);
  }
  return hash.toString(16).padStart(16, '0');
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function alertmanagerWebhooksAt(
  time: number,
  origin: number,
  windowMs: number,
): AlertmanagerWebhook[] {
  const byName = new Map<string, AlertmanagerAlert>();
  for (const { cycle, cycleStart, phase } of recentCycles(time, origin)) {
    for (const spec of ALERTS) {
      const name = spec.labels.alertname;
      if (
        byName.has(name) ||
        !spec.when(cycle) ||
        phase < spec.start ||
        phase >= spec.end + windowMs
      ) {
        continue;
      }
      const firing = phase < spec.end;
      byName.set(name, {
        status: firing ? 'firing' : 'resolved',
        labels: { ...spec.labels },
        annotations: { ...spec.annotations },
        startsAt: new Date(cycleStart + spec.start).toISOString(),
        endsAt: firing
          ? ZERO_TIME
          : new Date(cycleStart + spec.end).toISOString(),
        generatorURL: `${PROMETHEUS_URL}/graph?g0.expr=${encodeURIComponent(
          spec.expr,
        )}&g0.tab=1`,
        fingerprint: alertmanagerFingerprint(spec.labels),
      });
    }
  }
  // route: group_by [alertname], so each webhook carries one group.
  return [...byName.entries()].map(([name, alert]) => ({
    receiver: 'aiops',
    status: alert.status,
    alerts: [alert],
    groupLabels: { alertname: name },
    commonLabels: { ...alert.labels },
    commonAnnotations: { ...alert.annotations },
    externalURL: ALERTMANAGER_URL,
    version: '4',
    groupKey: `{}:{alertname="${name}"}`,
    truncatedAlerts: 0,
  }));
}

// --- generic alerts, PagerDuty Events v2 style (POST /alerts) ---

export type GenericAlertEvent =
  | {
      event_action: 'trigger';
      dedup_key: string;
      client: string;
      client_url: string;
      payload: {
        summary: string;
        source: string;
        severity: 'critical' | 'error' | 'warning' | 'info';
        timestamp: string;
        component: string;
        group: string;
        class: string;
        custom_details: Record<string, string | number>;
      };
    }
  | { event_action: 'resolve'; dedup_key: string };

export const LEDGER_DISK_DEDUP_KEY = 'demo/ledger-db-0/disk/var-lib-postgresql';

export function genericAlertsAt(
  time: number,
  origin: number,
  windowMs: number,
  diskUtilization: number,
): GenericAlertEvent[] {
  for (const { cycleStart, phase } of recentCycles(time, origin)) {
    const t = TIMELINE;
    if (phase >= t.diskAlertTriggered && phase < t.diskAlertResolved) {
      const percent = Math.round(diskUtilization * 100);
      return [
        {
          event_action: 'trigger',
          dedup_key: LEDGER_DISK_DEDUP_KEY,
          client: 'Zabbix',
          client_url:
            'https://zabbix.acme.example/zabbix.php?action=problem.view&filter_hostids[]=10452',
          payload: {
            summary: `Disk ${percent}% full on ledger-db-0 (/var/lib/postgresql)`,
            source: 'ledger-db-0.payments',
            severity: percent >= 90 ? 'critical' : 'error',
            timestamp: new Date(
              cycleStart + t.diskAlertTriggered,
            ).toISOString(),
            component: 'ledger-db',
            group: 'payments-platform',
            class: 'disk',
            custom_details: {
              used_percent: percent,
              mount: '/var/lib/postgresql',
              device: '/dev/nvme1n1',
              description:
                'pg_wal is growing: WAL segments are not being archived.',
            },
          },
        },
      ];
    }
    if (
      phase >= t.diskAlertResolved &&
      phase < t.diskAlertResolved + windowMs
    ) {
      return [{ event_action: 'resolve', dedup_key: LEDGER_DISK_DEDUP_KEY }];
    }
  }
  return [];
}
