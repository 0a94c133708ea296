import { InputError } from '@backstage/errors';
import firing from '../../../fixtures/alerts/alertmanager-v4-firing.json';
import minimal from '../../../fixtures/alerts/alertmanager-wild-minimal.json';
import resolved from '../../../fixtures/alerts/alertmanager-v4-resolved.json';
import grafana from '../../../fixtures/alerts/grafana-unified.json';
import { parseAlertmanagerWebhook } from './alertmanager';

const now = new Date('2026-11-25T08:10:00Z');
const options = { maxAlerts: 100, now };
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('parseAlertmanagerWebhook', () => {
  it('reads a version 4 notification, ignoring keys added by newer versions', () => {
    const { alerts, truncatedAlerts } = parseAlertmanagerWebhook(
      firing,
      'alertmanager',
      options,
    );
    expect(truncatedAlerts).toBe(0);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toEqual({
      source: 'alertmanager',
      fingerprint: '5a3c9e1f2b7d4e60',
      status: 'firing',
      severity: 'critical',
      title: 'HighErrorRate',
      description: 'cartservice is answering 12.3% of requests with errors.',
      labels: {
        alertname: 'HighErrorRate',
        job: 'cartservice',
        namespace: 'boutique',
        pod: 'cartservice-7d9f8b6c5-x2k4q',
        severity: 'critical',
      },
      annotations: expect.objectContaining({
        summary: 'High error rate on cartservice',
      }),
      startsAt: '2026-11-25T08:01:12.345Z',
      endsAt: undefined,
      generatorUrl: expect.stringContaining('http://prometheus:9090/graph'),
    });
  });

  it('tolerates payloads from the wild without version, status or fingerprint', () => {
    const [alert] = parseAlertmanagerWebhook(
      minimal,
      'alertmanager',
      options,
    ).alerts;
    expect(alert.status).toBe('firing');
    expect(alert.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(alert.endsAt).toBeUndefined();
    expect(alert.generatorUrl).toBeUndefined();
    // The derived fingerprint is stable whatever the label order.
    const reordered = clone(minimal);
    reordered.alerts[0].labels = Object.fromEntries(
      Object.entries(minimal.alerts[0].labels).reverse(),
    ) as (typeof minimal.alerts)[0]['labels'];
    expect(
      parseAlertmanagerWebhook(reordered, 'alertmanager', options).alerts[0]
        .fingerprint,
    ).toBe(alert.fingerprint);
  });

  it('reads resolved notifications with their end', () => {
    const [alert] = parseAlertmanagerWebhook(
      resolved,
      'alertmanager',
      options,
    ).alerts;
    expect(alert).toMatchObject({
      status: 'resolved',
      endsAt: '2026-11-25T08:19:42.001Z',
    });
  });

  it('infers a missing per-alert status from a past endsAt, else from the group', () => {
    const payload = clone(minimal) as any;
    payload.alerts[0].endsAt = '2026-11-25T08:05:00Z';
    expect(
      parseAlertmanagerWebhook(payload, 'alertmanager', options).alerts[0]
        .status,
    ).toBe('resolved');
    payload.alerts[0].endsAt = '2026-11-25T09:05:00Z';
    expect(
      parseAlertmanagerWebhook(payload, 'alertmanager', options).alerts[0]
        .status,
    ).toBe('firing');
  });

  it('merges commonLabels under each alert’s own labels', () => {
    const payload = clone(minimal) as any;
    payload.alerts[0].labels = { alertname: 'X' };
    expect(
      parseAlertmanagerWebhook(payload, 'alertmanager', options).alerts[0]
        .labels,
    ).toEqual({
      alertname: 'X',
      service: 'checkoutservice',
      severity: 'warning',
    });
  });

  it('reads Grafana unified alerting, which shares the envelope', () => {
    const [alert] = parseAlertmanagerWebhook(
      grafana,
      'grafana',
      options,
    ).alerts;
    expect(alert).toMatchObject({
      source: 'grafana',
      fingerprint: 'b8f5e2a91c3d7064',
      severity: 'error',
      title: 'PaymentGatewayErrors',
      labels: expect.objectContaining({ service_name: 'payment-gateway' }),
    });
  });

  it.each([
    ['alerts', { status: 'firing' }, 'alerts must be an array'],
    [
      'alerts[0].labels',
      { alerts: [{ labels: 'x' }] },
      'alerts[0].labels must be an object',
    ],
    [
      'alerts[0].labels.severity',
      { alerts: [{ labels: { severity: 3 } }] },
      'alerts[0].labels.severity must be a string',
    ],
    [
      'empty labels',
      { alerts: [{ labels: {} }] },
      'alerts[0].labels must not be empty',
    ],
    [
      'alerts[0].startsAt',
      { alerts: [{ labels: { a: 'b' }, startsAt: 'yesterday' }] },
      'alerts[0].startsAt must be an RFC 3339 timestamp, got "yesterday"',
    ],
    [
      'alerts[0].status',
      { alerts: [{ labels: { a: 'b' }, status: 'burning' }] },
      'alerts[0].status must be "firing" or "resolved"',
    ],
    ['body', [], 'body must be an object'],
  ])('rejects a bad %s naming the field', (_, body, message) => {
    expect(() =>
      parseAlertmanagerWebhook(body, 'alertmanager', options),
    ).toThrow(new InputError(message));
  });

  it('rejects more alerts than the configured limit', () => {
    const payload = {
      alerts: Array.from({ length: 3 }, (_, i) => ({
        labels: { i: String(i) },
      })),
    };
    expect(() =>
      parseAlertmanagerWebhook(payload, 'alertmanager', { maxAlerts: 2, now }),
    ).toThrow(/more than the limit of 2/);
  });

  it('takes severities named like Object.prototype members as unknown: warning', () => {
    // Found by receivers.fuzz.test.ts: severity="__proto__" stored Object.prototype (a 500).
    const payload = {
      alerts: ['__proto__', 'constructor', 'toString', 'hasOwnProperty'].map(
        severity => ({
          labels: { alertname: 'Odd', severity },
        }),
      ),
    };
    const { alerts } = parseAlertmanagerWebhook(
      payload,
      'alertmanager',
      options,
    );
    expect(alerts.map(alert => alert.severity)).toEqual([
      'warning',
      'warning',
      'warning',
      'warning',
    ]);
  });
});
