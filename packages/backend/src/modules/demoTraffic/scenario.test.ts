import { generateTick, type TickPayloads } from './scenario';
import { requestsOf } from './sender';
import { SERVICES } from './services';
import {
  ALERT_NAMES,
  CYCLE_MS,
  MINUTE_MS,
  alertmanagerFingerprint,
} from './storyline';
import type { KeyValue, OtlpSpan } from './otlp';

const ORIGIN = Date.parse('2026-03-02T09:00:00.000Z');
const OPTIONS = { seed: 42, origin: ORIGIN, intervalMs: 30_000 };
const at = (minutes: number, cycle = 0) =>
  ORIGIN + cycle * CYCLE_MS + minutes * MINUTE_MS;
const tick = (minutes: number, cycle = 0) =>
  generateTick(at(minutes, cycle), OPTIONS);

const attr = (attributes: KeyValue[], key: string) => {
  const value = attributes.find(a => a.key === key)?.value;
  return value && Object.values(value)[0];
};

interface FlatSpan extends OtlpSpan {
  service: string;
}

function spansOf(payloads: TickPayloads): FlatSpan[] {
  return payloads.traces.flatMap(request =>
    request.resourceSpans.flatMap(rs =>
      rs.scopeSpans.flatMap(ss =>
        ss.spans.map(s => ({
          ...s,
          service: String(attr(rs.resource.attributes, 'service.name')),
        })),
      ),
    ),
  );
}

function logsOf(payloads: TickPayloads) {
  return payloads.logs.resourceLogs.flatMap(rl =>
    rl.scopeLogs.flatMap(sl =>
      sl.logRecords.map(r => ({
        ...r,
        service: String(attr(rl.resource.attributes, 'service.name')),
      })),
    ),
  );
}

/** caller → callee service names, from parent/child pairs and `peer.service`. */
function callEdges(spans: FlatSpan[]): Set<string> {
  const byId = new Map(spans.map(s => [`${s.traceId}/${s.spanId}`, s]));
  const edges = new Set<string>();
  for (const s of spans) {
    if (s.kind === 2 && s.parentSpanId) {
      const client = byId.get(`${s.traceId}/${s.parentSpanId}`)!;
      edges.add(`${client.service} -> ${s.service}`);
    }
    const peer = attr(s.attributes, 'peer.service');
    if (s.kind === 3 && peer) edges.add(`${s.service} -> ${peer}`);
  }
  return edges;
}

const nanosToMs = (nanos: string) => Number(BigInt(nanos) / 1_000_000n);

describe('demo traffic scenario', () => {
  it('is a deterministic function of the time and the seed', () => {
    const time = at(5);
    expect(generateTick(time, OPTIONS)).toEqual(generateTick(time, OPTIONS));

    const traceIds = (p: TickPayloads) =>
      new Set(spansOf(p).map(s => s.traceId));
    const original = traceIds(generateTick(time, OPTIONS));
    const other = generateTick(time, { ...OPTIONS, seed: 43 });
    const later = generateTick(time + 30_000, OPTIONS);
    for (const different of [other, later]) {
      expect([...traceIds(different)].filter(id => original.has(id))).toEqual(
        [],
      );
    }
    // The storyline does not depend on the seed, only the noise does.
    expect(other.alertmanager).toEqual(
      generateTick(time, OPTIONS).alertmanager,
    );
  });

  it("follows Online Boutique's call graph into the Payments Platform", () => {
    const spans = [0.5, 1, 1.5, 2, 11, 11.5].flatMap(minutes =>
      spansOf(tick(minutes)),
    );
    const s = Object.fromEntries(
      Object.entries(SERVICES).map(([id, service]) => [
        id,
        service.serviceName,
      ]),
    );
    expect([...callEdges(spans)].sort()).toEqual(
      [
        ...[
          'ad',
          'recommendation',
          'productcatalog',
          'cart',
          'shipping',
          'currency',
          'checkout',
        ].map(callee => `${s.frontend} -> ${s[callee]}`),
        ...[
          'productcatalog',
          'shipping',
          'currency',
          'cart',
          'payment',
          'email',
        ].map(callee => `${s.checkout} -> ${s[callee]}`),
        `${s.recommendation} -> ${s.productcatalog}`,
        `${s.cart} -> redis-cart`,
        `${s.payment} -> ${s.paymentGateway}`,
        `${s.paymentGateway} -> ${s.ledgerWriter}`,
        `${s.ledgerWriter} -> ${s.balanceReader}`,
        `${s.ledgerWriter} -> ledger-db`,
        `${s.balanceReader} -> ledger-db`,
        `${s.transactionHistory} -> ledger-db`,
      ].sort(),
    );
  });

  it('links every span into a well-formed trace inside the tick', () => {
    const time = at(5);
    const spans = spansOf(generateTick(time, OPTIONS));
    expect(spans.length).toBeGreaterThan(100);
    const byId = new Map(
      spans.map(span => [`${span.traceId}/${span.spanId}`, span]),
    );
    expect(byId.size).toBe(spans.length);
    for (const span of spans) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(
        BigInt(span.endTimeUnixNano) > BigInt(span.startTimeUnixNano),
      ).toBe(true);
      expect(nanosToMs(span.endTimeUnixNano)).toBeLessThanOrEqual(time);
    }

    // Roots: a shopper's request to the frontend, or a history read from outside the catalog.
    const roots = spans.filter(span => !span.parentSpanId);
    expect(new Set(roots.map(r => `${r.kind} ${r.service}`))).toEqual(
      new Set(['2 frontend', '2 transactionhistory']),
    );
    expect(new Set(roots.map(r => r.traceId)).size).toBe(roots.length);

    // Everything else sits inside its parent, in the same trace.
    const childrenOf = new Map<string, FlatSpan[]>();
    for (const span of spans.filter(s => s.parentSpanId)) {
      const key = `${span.traceId}/${span.parentSpanId}`;
      const parent = byId.get(key);
      expect(parent).toBeDefined();
      expect(
        BigInt(parent!.startTimeUnixNano) <= BigInt(span.startTimeUnixNano) &&
          BigInt(span.endTimeUnixNano) <= BigInt(parent!.endTimeUnixNano),
      ).toBe(true);
      childrenOf.set(key, [...(childrenOf.get(key) ?? []), span]);
    }

    const clients = spans.filter(s => s.kind === 3);
    const childrenOfClient = (span: FlatSpan) =>
      childrenOf.get(`${span.traceId}/${span.spanId}`) ?? [];
    // Calls to the uninstrumented Resources: named by peer.service, with their database system.
    const peerCalls = clients.filter(s => attr(s.attributes, 'peer.service'));
    expect(peerCalls.length).toBeGreaterThan(0);
    for (const span of peerCalls) {
      expect(childrenOfClient(span)).toEqual([]);
      expect(attr(span.attributes, 'db.system')).toBe(
        attr(span.attributes, 'peer.service') === 'redis-cart'
          ? 'redis'
          : 'postgresql',
      );
    }
    // Calls between services: exactly one SERVER span on the other side, in another service.
    for (const span of clients.filter(
      s => !attr(s.attributes, 'peer.service'),
    )) {
      const children = childrenOfClient(span);
      expect(children).toHaveLength(1);
      expect(children[0]).toMatchObject({ kind: 2, name: span.name });
      expect(children[0].service).not.toBe(span.service);
    }
  });

  it('deploys cart at minute 0 with a version bump, then rolls it back at 7:30', () => {
    const started = tick(0.5).deployments!.deployments;
    expect(started).toEqual([
      expect.objectContaining({
        service: 'cartservice',
        status: 'started',
        environment: 'production',
      }),
    ]);
    const [release] = started;
    expect(release.version).not.toBe(release.previousVersion);
    expect(release.finishedAt).toBeUndefined();

    const succeeded = tick(1.5).deployments!.deployments;
    expect(succeeded).toEqual([
      expect.objectContaining({
        id: release.id,
        status: 'succeeded',
        version: release.version,
      }),
    ]);
    expect(Date.parse(succeeded[0].finishedAt!)).toBeGreaterThan(
      Date.parse(release.startedAt),
    );
    // The new pods report the new version.
    const cartVersions = (p: TickPayloads) =>
      new Set(
        p.metrics.resourceMetrics
          .filter(
            r => attr(r.resource.attributes, 'service.name') === 'cartservice',
          )
          .map(r => attr(r.resource.attributes, 'service.version')),
      );
    expect(cartVersions(tick(0.5))).toEqual(new Set([release.previousVersion]));
    expect(cartVersions(tick(5))).toEqual(new Set([release.version]));
    expect(cartVersions(tick(9))).toEqual(new Set([release.previousVersion]));

    expect(tick(5).deployments).toBeUndefined();
    const rollback = tick(8.5).deployments!.deployments;
    expect(rollback).toEqual([
      expect.objectContaining({ id: release.id, status: 'rolled_back' }),
      expect.objectContaining({
        service: 'cartservice',
        status: 'succeeded',
        version: release.previousVersion,
        previousVersion: release.version,
      }),
    ]);

    // The next cycle releases a newer version.
    const next = tick(0.5, 1).deployments!.deployments[0];
    const numeric = (version: string) => version.split('.').map(Number);
    const [a, b] = [numeric(next.version), numeric(release.version)];
    expect(a[1] > b[1] || (a[1] === b[1] && a[2] > b[2])).toBe(true);
    expect(next.id).not.toBe(release.id);
  });

  it('degrades redis-cart after the deployment: slow, failing calls and error logs with trace context', () => {
    const quiet = tick(1.5);
    expect(spansOf(quiet).filter(s => s.status?.code === 2)).toEqual([]);
    expect(logsOf(quiet).filter(l => l.severityNumber >= 17)).toEqual([]);

    const incident = tick(5);
    const spans = spansOf(incident);
    const failed = spans.filter(s => s.status?.code === 2);
    const failedServers = new Set(
      failed.filter(s => s.kind === 2).map(s => s.service),
    );
    expect(failedServers).toEqual(
      new Set(['cartservice', 'checkoutservice', 'frontend']),
    );
    expect(
      failed.filter(s => s.service === 'cartservice' && s.kind === 3),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          status: {
            code: 2,
            message: expect.stringMatching(/^Timeout performing/),
          },
        }),
      ]),
    );
    const redisMs = (p: TickPayloads) =>
      spansOf(p)
        .filter(s => attr(s.attributes, 'peer.service') === 'redis-cart')
        .map(s => nanosToMs(s.endTimeUnixNano) - nanosToMs(s.startTimeUnixNano))
        .sort((a, b) => a - b);
    const median = (values: number[]) => values[Math.floor(values.length / 2)];
    expect(median(redisMs(incident))).toBeGreaterThan(
      10 * Math.max(1, median(redisMs(quiet))),
    );

    const errorLogs = logsOf(incident).filter(l => l.severityNumber >= 17);
    expect(new Set(errorLogs.map(l => l.service))).toEqual(
      new Set(['cartservice', 'checkoutservice', 'frontend']),
    );
    const spanIds = new Set(spans.map(s => `${s.traceId}/${s.spanId}`));
    for (const log of errorLogs) {
      expect(spanIds.has(`${log.traceId}/${log.spanId}`)).toBe(true);
    }
    expect(errorLogs.map(l => l.body.stringValue)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Can't access cart storage"),
      ]),
    );
    // Mostly INFO all the same.
    const logs = logsOf(incident);
    expect(logs.filter(l => l.severityText === 'INFO').length).toBeGreaterThan(
      errorLogs.length,
    );

    // Healthy again after the rollback.
    expect(spansOf(tick(9.5)).filter(s => s.status?.code === 2)).toEqual([]);
  });

  it('fires the Alertmanager alerts with stable fingerprints, resolves them at minute 9, and re-fires next cycle', () => {
    expect(tick(2.5).alertmanager).toEqual([]);
    const names = (p: TickPayloads) =>
      p.alertmanager.map(w => `${w.groupLabels.alertname}:${w.status}`);
    expect(names(tick(3.25))).toEqual(['RedisCartLatencyHigh:firing']);
    expect(names(tick(5))).toEqual([
      'RedisCartLatencyHigh:firing',
      'CartErrorRate:firing',
      'CheckoutErrorRate:firing',
      'FrontendHighLatency:firing',
    ]);

    const alerts = (p: TickPayloads) =>
      Object.fromEntries(
        p.alertmanager.map(w => [w.groupLabels.alertname, w.alerts[0]]),
      );
    const firing = alerts(tick(5));
    expect(firing.RedisCartLatencyHigh.labels).toMatchObject({
      job: 'redis-cart',
    });
    expect(firing.CartErrorRate.labels).toMatchObject({ job: 'cartservice' });
    expect(firing.CheckoutErrorRate.labels).toMatchObject({
      service: 'checkoutservice',
    });
    expect(firing.FrontendHighLatency.labels).toMatchObject({
      app: 'frontend',
    });
    for (const webhook of tick(5).alertmanager) {
      const [alert] = webhook.alerts;
      expect(webhook).toMatchObject({
        version: '4',
        status: 'firing',
        commonLabels: alert.labels,
      });
      expect(alert.fingerprint).toBe(alertmanagerFingerprint(alert.labels));
      expect(alert.endsAt).toBe('0001-01-01T00:00:00Z');
      expect(Date.parse(alert.startsAt)).toBeLessThanOrEqual(at(5));
    }

    const later = alerts(tick(7));
    const resolved = alerts(tick(9.75));
    for (const name of [
      'RedisCartLatencyHigh',
      'CartErrorRate',
      'CheckoutErrorRate',
      'FrontendHighLatency',
    ]) {
      expect(later[name]).toMatchObject({
        fingerprint: firing[name].fingerprint,
        startsAt: firing[name].startsAt,
      });
      expect(resolved[name]).toMatchObject({
        status: 'resolved',
        fingerprint: firing[name].fingerprint,
        startsAt: firing[name].startsAt,
      });
      expect(Date.parse(resolved[name].endsAt)).toBeGreaterThanOrEqual(at(9));
      expect(Date.parse(resolved[name].endsAt)).toBeLessThanOrEqual(at(9.75));
    }
    expect(
      tick(13).alertmanager.map(w => w.groupLabels.alertname),
    ).not.toContain('CartErrorRate');

    const again = alerts(tick(5, 1)).CartErrorRate;
    expect(again).toMatchObject({
      status: 'firing',
      fingerprint: firing.CartErrorRate.fingerprint,
    });
    expect(Date.parse(again.startsAt)).toBeGreaterThan(
      Date.parse(resolved.CartErrorRate.endsAt),
    );
  });

  it("computes Alertmanager's own fingerprint", () => {
    // From a real Alertmanager webhook (plugins/aiops-ingest-backend/fixtures/alerts).
    expect(
      alertmanagerFingerprint({
        alertname: 'CartHighLatency',
        job: 'cartservice',
        namespace: 'boutique',
        severity: 'critical',
      }),
    ).toBe('829caba81be00f75');
  });

  it("fills ledger-db's disk and raises a generic alert for it, unrelated to the cart incident", () => {
    const disk = (p: TickPayloads) => {
      const db = p.metrics.resourceMetrics.find(
        r => attr(r.resource.attributes, 'service.name') === 'ledger-db',
      )!;
      const metric = db.scopeMetrics[0].metrics.find(
        m => m.name === 'system.filesystem.utilization',
      )!;
      return metric.gauge.dataPoints[0].asDouble;
    };
    expect(disk(tick(5))).toBeLessThan(0.75);
    expect(disk(tick(14))).toBeGreaterThan(0.9);
    expect(disk(tick(17))).toBeLessThan(0.75);

    expect(tick(11).genericAlerts).toBeUndefined();
    const trigger = tick(13).genericAlerts!.alerts;
    expect(trigger).toEqual([
      expect.objectContaining({
        event_action: 'trigger',
        dedup_key: expect.any(String),
        payload: expect.objectContaining({
          component: 'ledger-db',
          class: 'disk',
          timestamp: new Date(at(12)).toISOString(),
        }),
      }),
    ]);
    expect(tick(14.25).genericAlerts!.alerts[0]).toMatchObject({
      dedup_key: trigger[0].dedup_key,
      payload: { severity: 'critical' },
    });
    expect(tick(16.5).genericAlerts!.alerts).toEqual([
      { event_action: 'resolve', dedup_key: trigger[0].dedup_key },
    ]);

    const warnings = logsOf(tick(13)).filter(
      l => l.service === 'ledger-db' && l.severityText === 'WARN',
    );
    expect(warnings.map(l => l.body.stringValue)).toContain(
      'archive command failed with exit code 1',
    );
    // The shop is healthy meanwhile.
    expect(spansOf(tick(13)).filter(s => s.status?.code === 2)).toEqual([]);
  });

  it('reports a ledger-db config deploy as a PagerDuty change event at 9:40, before the archiving fails', () => {
    expect(tick(9.5).changeEvents).toEqual([]);
    const [event, ...others] = tick(9.75).changeEvents;
    expect(others).toEqual([]);
    // PagerDuty's change-event shape: no event_action, which would make it an alert event.
    expect(Object.keys(event).sort()).toEqual([
      'links',
      'payload',
      'routing_key',
    ]);
    expect(event).toEqual({
      routing_key: expect.any(String),
      payload: {
        summary: expect.stringMatching(
          /^Deploy succeeded: ledger-db archive_command changed \(config 2026\.\d+\.\d+\)$/,
        ),
        timestamp: new Date(at(9 + 40 / 60)).toISOString(),
        source: expect.any(String),
        custom_details: expect.objectContaining({
          service: 'ledger-db',
          version: expect.stringMatching(/^2026\./),
        }),
      },
      links: [
        {
          href: expect.stringMatching(/^https:\/\//),
          text: expect.any(String),
        },
      ],
    });
    // The source is a CI job, not ledger-db: custom_details.service is what keys the change.
    expect(event.payload.source).not.toContain('ledger-db');
    expect(event.payload.summary).toContain(
      event.payload.custom_details.version,
    );
    // Before the disk starts filling (10:00) and the disk alert (12:00).
    expect(Date.parse(event.payload.timestamp)).toBeLessThan(at(10));

    // Re-sent unchanged within the send window, so the receiver's id for it stays the same.
    expect(tick(12.5).changeEvents).toEqual([event]);
    expect(tick(12.75).changeEvents).toEqual([]);
    expect(
      requestsOf(tick(11)).filter(([path]) => path === '/changes/pagerduty'),
    ).toEqual([['/changes/pagerduty', event]]);

    // Each cycle deploys a newer config, at its own 9:40.
    const [next] = tick(9.75, 1).changeEvents;
    expect(next.payload.timestamp).toBe(
      new Date(at(9 + 40 / 60, 1)).toISOString(),
    );
    expect(next.payload.summary).not.toBe(event.payload.summary);
    // With ticks longer than a cycle, the previous cycle's event is still within the window.
    expect(
      generateTick(at(2, 1), { ...OPTIONS, intervalMs: 10 * MINUTE_MS })
        .changeEvents,
    ).toEqual([event]);
  });

  it('raises an alert that keys to nothing every other cycle, and deploys productcatalog in the others', () => {
    const names = (p: TickPayloads) =>
      p.alertmanager.map(w => w.groupLabels.alertname);
    const fan = tick(14).alertmanager.find(
      w => w.groupLabels.alertname === 'FanSpeedLow',
    )!;
    expect(fan.alerts[0].labels).toMatchObject({ instance: 'rack7-node3' });
    expect(names(tick(14, 1))).not.toContain('FanSpeedLow');
    expect(names(tick(14, 2))).toContain('FanSpeedLow');

    expect(tick(14.5).deployments).toBeUndefined();
    expect(tick(14.5, 1).deployments!.deployments).toEqual([
      expect.objectContaining({
        service: 'productcatalogservice',
        status: 'started',
      }),
    ]);
    expect(ALERT_NAMES).toContain('FanSpeedLow');
  });

  it('stays quiet before the origin and keeps every request body small', () => {
    const before = generateTick(ORIGIN - 60_000, OPTIONS);
    expect(before.deployments).toBeUndefined();
    expect(before.changeEvents).toEqual([]);
    expect(before.alertmanager).toEqual([]);
    expect(spansOf(before).length).toBeGreaterThan(0);

    for (const payloads of [
      tick(5),
      generateTick(at(5), { ...OPTIONS, intervalMs: 10 * MINUTE_MS }),
    ]) {
      const requests = requestsOf(payloads);
      expect(requests.length).toBeGreaterThan(3);
      for (const [, body] of requests) {
        expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(
          1024 * 1024,
        );
      }
    }
  });
});
