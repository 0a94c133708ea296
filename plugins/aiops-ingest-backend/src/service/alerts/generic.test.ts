import batch from '../../../fixtures/alerts/generic-batch.json';
import changeEvent from '../../../fixtures/deployments/pagerduty/change-event.docs.json';
import { parseGenericAlerts } from './generic';

const now = new Date('2026-11-25T08:10:00Z');
const options = { maxAlerts: 100, now };

describe('parseGenericAlerts', () => {
  it('maps PagerDuty-style events to alerts, resolves by key and ignored actions', () => {
    const events = parseGenericAlerts(batch, options);
    expect(events).toHaveLength(4);
    expect(events[0].alert).toMatchObject({
      source: 'generic',
      fingerprint: 'disk-ledger-db-01',
      status: 'firing',
      severity: 'error',
      title: 'Disk 91% full on ledger-db-01',
      labels: {
        service: 'ledger-db',
        instance: 'ledger-db-01.dc1',
        group: 'storage',
        class: 'disk',
      },
      annotations: {
        summary: 'Disk 91% full on ledger-db-01',
        used_percent: '91',
        mount: '/var/lib/postgresql',
      },
      startsAt: '2026-11-25T08:06:00.000Z',
    });
    expect(events[1].alert).toMatchObject({
      severity: 'warning',
      labels: { instance: 'rack7-node3', datacenter: 'dc1' },
      startsAt: now.toISOString(),
    });
    expect(events[1].alert!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(events[2]).toEqual({
      index: 2,
      resolve: { fingerprint: 'never-seen-before', endsAt: now.toISOString() },
    });
    expect(events[3].ignored).toMatch(/acknowledge/);
  });

  it('accepts a single event and a bare array', () => {
    const single = {
      payload: { summary: 'x', severity: 'critical' },
      labels: { service: 'cart' },
    };
    expect(parseGenericAlerts(single, options)[0].alert).toMatchObject({
      severity: 'critical',
    });
    expect(parseGenericAlerts([single, single], options)).toHaveLength(2);
  });

  it('derives different identities for different summaries on the same labels', () => {
    const a = parseGenericAlerts({ payload: { summary: 'a' } }, options)[0]
      .alert!;
    const b = parseGenericAlerts({ payload: { summary: 'b' } }, options)[0]
      .alert!;
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it.each([
    [
      { payload: { summary: 'x', severity: 'urgent' } },
      'payload.severity must be one of critical, error, warning, info',
    ],
    [{ payload: {} }, 'payload.summary must be a non-empty string'],
    [
      { event_action: 'explode', payload: { summary: 'x' } },
      'event_action must be one of trigger, resolve, acknowledge',
    ],
    [{ event_action: 'resolve' }, 'dedup_key is required to resolve an alert'],
    [
      { alerts: [{ payload: { summary: 'x', timestamp: 'soon' } }] },
      'alerts[0].payload.timestamp must be an RFC 3339 timestamp, got "soon"',
    ],
    [{ alerts: [] }, 'alerts holds no alerts'],
    [
      { payload: { summary: 'x' }, labels: { a: 1 } },
      'labels.a must be a string',
    ],
  ])('rejects %j naming the field', (body, message) => {
    expect(() => parseGenericAlerts(body, options)).toThrow(message);
  });

  it('refuses a PagerDuty change event, alone or in a batch, naming the route for changes', () => {
    expect(() => parseGenericAlerts(changeEvent, options)).toThrow(
      'body is a PagerDuty change event (no event_action, with routing_key or links): it records ' +
        'a change, not an alert, and is not stored here; send change events to POST ' +
        '/api/aiops-ingest/changes/pagerduty',
    );
    const { routing_key: _, ...withLinksOnly } = changeEvent;
    expect(() =>
      parseGenericAlerts({ alerts: [batch.alerts[0], withLinksOnly] }, options),
    ).toThrow('alerts[1] is a PagerDuty change event');
  });

  it('still takes an alert without event_action as a trigger when it has neither routing_key nor links', () => {
    const { event_action: _, ...event } = batch.alerts[0];
    expect(parseGenericAlerts(event, options)[0].alert).toMatchObject({
      status: 'firing',
      title: 'Disk 91% full on ledger-db-01',
    });
    expect(
      parseGenericAlerts(
        { ...changeEvent, event_action: 'trigger' },
        options,
      )[0].alert,
    ).toMatchObject({ status: 'firing', severity: 'warning' });
  });
});
