import { cartIncidentDetails } from '@aiops/plugin-aiops-node/testUtils';
import { buildIncidentDocument } from './incidentDocument';

describe('buildIncidentDocument', () => {
  it('takes what the incident was about, where, and its root cause', () => {
    const document = buildIncidentDocument(cartIncidentDetails());
    expect(document).toEqual({
      incidentId: 'inc-1',
      title: 'redis-cart: RedisDown (+5 related alerts)',
      status: 'open',
      severity: 'critical',
      system: 'system:default/online-boutique',
      owner: 'group:default/platform-team',
      entityRefs: [
        'resource:default/redis-cart',
        'component:default/cart',
        'component:default/checkout',
        'component:default/frontend',
      ],
      rootCauseEntityRef: 'resource:default/redis-cart',
      alertNames: [
        'CartServiceErrorRate',
        'CartServiceLatency',
        'Frontend5xx',
        'PlaceOrderErrors',
        'RedisDown',
      ],
      alertLabels: [],
      findings: [
        expect.stringContaining('redis-cart is the most likely root cause'),
        expect.stringContaining('cart 2.790.23 was deployed'),
        expect.stringContaining('6 alerts on 4 related entities'),
      ],
      narrative: undefined,
      resolutionNote: undefined,
      postmortemUrl: undefined,
      openedAt: '2026-11-20T07:04:40.000Z',
      resolvedAt: undefined,
      timeToResolveMs: undefined,
    });
  });

  it('adds the narrative, the resolution, the labels and the time to resolve when there are', () => {
    const details = cartIncidentDetails();
    details.incident.status = 'resolved';
    details.incident.resolvedAt = '2026-11-20T07:34:40.000Z';
    const document = buildIncidentDocument(details, {
      narrative: '  Redis (cart) is failing  ',
      resolution: {
        note: 'Restarted redis-cart with more memory',
        postmortemUrl: 'https://wiki.example.com/pm/42',
      },
      alertLabels: [
        { alertname: 'RedisDown', severity: 'critical', pod: 'redis-7f9' },
        { alertname: 'RedisDown', severity: 'critical' },
      ],
    });
    expect(document).toMatchObject({
      status: 'resolved',
      narrative: 'Redis (cart) is failing',
      resolutionNote: 'Restarted redis-cart with more memory',
      postmortemUrl: 'https://wiki.example.com/pm/42',
      resolvedAt: '2026-11-20T07:34:40.000Z',
      timeToResolveMs: 30 * 60_000,
      // Instance labels (pod) would match unrelated incidents on the same pod name.
      alertLabels: ['alertname=RedisDown', 'severity=critical'],
    });
  });

  it('reads the resolution correlation recorded on the incident', () => {
    const details = cartIncidentDetails();
    details.incident.status = 'resolved';
    details.incident.resolvedAt = '2026-11-20T07:10:40.000Z';
    details.incident.resolution = {
      note: 'Rolled back cart',
      resolvedBy: 'user:default/guest',
      resolvedAt: '2026-11-20T07:10:40.000Z',
    };
    expect(buildIncidentDocument(details)).toMatchObject({
      resolutionNote: 'Rolled back cart',
      postmortemUrl: undefined,
      timeToResolveMs: 6 * 60_000,
    });
  });

  it('falls back to the incident own findings and tolerates alerts known by id only', () => {
    const details = cartIncidentDetails();
    details.incident.findings = details.findings.map(f => f.finding);
    details.findings = [];
    details.alerts = details.alerts.map(({ details: _, ...link }) => link);
    const document = buildIncidentDocument(details);
    expect(document.findings).toHaveLength(3);
    expect(document.alertNames).toEqual([]);
  });

  it('has no time to resolve while open, even with a stale resolvedAt', () => {
    const details = cartIncidentDetails();
    details.incident.resolvedAt = '2026-11-20T07:34:40.000Z';
    expect(buildIncidentDocument(details).timeToResolveMs).toBeUndefined();
  });

  it('says which incident a merged one went into', () => {
    const details = cartIncidentDetails();
    expect(buildIncidentDocument(details)).not.toHaveProperty('mergedInto');
    details.incident.mergedInto = 'inc-survivor';
    expect(buildIncidentDocument(details).mergedInto).toBe('inc-survivor');
  });
});
