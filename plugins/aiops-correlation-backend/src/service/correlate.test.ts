import type { Alert } from '@aiops/plugin-aiops-common';
import {
  alert,
  at,
  c,
  deployment,
  r,
  shopGraph,
} from './__testUtils__/builders';
import { correlate, correlateAll, emptyCorrelationState } from './correlate';
import { correlationConfig } from './config';
import type {
  CorrelationContext,
  CorrelationDecision,
  CorrelationEvent,
  CoreSilence as Silence,
} from './types';
import { ruleVersions } from './pipeline';

function context(
  overrides: Parameters<typeof correlationConfig>[0] = {},
  silences: Silence[] = [],
): CorrelationContext {
  return { graph: shopGraph(), config: correlationConfig(overrides), silences };
}
const ev = (minute: number, a: Alert): CorrelationEvent => ({
  type: 'alert',
  at: at(minute),
  alert: a,
});
const tick = (minute: number): CorrelationEvent => ({
  type: 'tick',
  at: at(minute),
});
const ofType = <T extends CorrelationDecision['type']>(
  ds: CorrelationDecision[],
  type: T,
) =>
  ds.filter(
    (d): d is Extract<CorrelationDecision, { type: T }> => d.type === type,
  );

describe('correlate', () => {
  it('opens an incident at once and attaches later alerts on the same entity', () => {
    const { state, decisions } = correlateAll(
      [
        ev(0, alert('a', c('cart'))),
        ev(1, alert('b', c('cart'), { start: 1, severity: 'critical' })),
      ],
      context(),
    );
    const [open] = ofType(decisions, 'open-incident');
    expect(open.incident).toMatchObject({
      status: 'open',
      primaryEntityRef: c('cart'),
      owner: 'group:default/checkout',
      correlationKey:
        'group-key@1|entity="component:default/cart"|2026-01-01T10:00:00.000Z',
      ruleVersions,
      alertIds: ['a'],
    });
    expect(
      ofType(decisions, 'attach-alert').map(d => [d.alertId, d.rule]),
    ).toEqual([
      ['a', 'group-key@1'],
      ['b', 'group-key@1'],
    ]);
    const incident = Object.values(state.incidents)[0].incident;
    expect(incident.severity).toBe('critical');
    expect(incident.alertIds).toEqual(['a', 'b']);
  });

  it('groups a cascade through the topology and ranks the root first', () => {
    const { state, decisions } = correlateAll(
      [
        ev(0, alert('front', c('frontend'), { severity: 'warning' })),
        ev(1, alert('check', c('checkout'), { start: 1 })),
        ev(2, alert('cart', c('cart'), { start: 2 })),
      ],
      context(),
    );
    // The warning opened an incident of its own. The page-level checkout alert does not join
    // that one, since a warning anchors no page; it starts one that takes the warning in.
    const [warning, cascade] = ofType(decisions, 'open-incident');
    expect(warning.incident.alertIds).toEqual(['front']);
    expect(ofType(decisions, 'merge-incident')).toEqual([
      expect.objectContaining({
        sourceId: warning.incident.id,
        incidentId: cascade.incident.id,
        rule: 'membership-review@1',
      }),
    ]);
    expect(state.incidents[warning.incident.id].incident).toMatchObject({
      status: 'resolved',
      mergedInto: cascade.incident.id,
      alertIds: [],
    });
    const incident = state.incidents[cascade.incident.id].incident;
    expect(incident.alertIds.sort()).toEqual(['cart', 'check', 'front']);
    expect(incident.rootCauseCandidates[0].entityRef).toBe(c('cart'));
    expect(incident.primaryEntityRef).toBe(c('cart'));
    expect(incident.findings.map(f => f.rule)).toEqual(
      expect.arrayContaining([
        'topology-root-cause@3',
        'topology-grouping@2',
        'inhibition@2',
      ]),
    );
    // The symptoms are muted and point at the root alert.
    expect(
      ofType(decisions, 'suppress-alert')
        .filter(d => d.alertId === 'front')
        .pop()?.suppression,
    ).toEqual({
      reason: 'symptom-of-root',
      by: { alertId: 'cart' },
      rule: 'inhibition@2',
    });
  });

  it('keeps unrelated failures apart', () => {
    const { decisions } = correlateAll(
      [ev(0, alert('ad', c('ad'))), ev(0, alert('billing', c('billing')))],
      context(),
    );
    expect(ofType(decisions, 'open-incident')).toHaveLength(2);
  });

  it('opens nothing for an alert that arrives already resolved', () => {
    const { state, decisions } = correlate(
      emptyCorrelationState(),
      ev(5, alert('a', c('cart'), { end: 4 })),
      context(),
    );
    expect(decisions).toEqual([
      {
        type: 'ignore',
        alertId: 'a',
        reason: 'arrived-resolved',
        rule: 'already-resolved@1',
      },
    ]);
    expect(state).toMatchObject({ alerts: {}, incidents: {}, deployments: [] });
  });

  it('resolves an incident a quiet period after its last alert resolved', () => {
    const { state, decisions } = correlateAll(
      [
        ev(0, alert('a', c('cart'))),
        ev(3, alert('a', c('cart'), { end: 3 })),
        tick(7),
        tick(8),
      ],
      context(),
    );
    expect(ofType(decisions, 'resolve-incident')).toEqual([
      expect.objectContaining({ at: at(8), rule: 'auto-resolve@1' }),
    ]);
    expect(Object.values(state.incidents)[0].incident.status).toBe('resolved');
  });

  it('reopens a recently resolved incident when its alert fires again', () => {
    const events = [
      ev(0, alert('a', c('cart'))),
      ev(2, alert('a', c('cart'), { end: 2 })),
      tick(8),
      ev(10, alert('a', c('cart'), { start: 10 })),
    ];
    const { decisions } = correlateAll(events, context());
    expect(ofType(decisions, 'open-incident')).toHaveLength(1);
    expect(ofType(decisions, 'resolve-incident')).toHaveLength(1);
    expect(ofType(decisions, 'reopen-incident')).toEqual([
      expect.objectContaining({ alertId: 'a', at: at(10) }),
    ]);
  });

  it('mutes alerts inside a silence and opens nothing for them', () => {
    const silence: Silence = {
      id: 'maint',
      matchers: [{ name: 'entity', value: c('cart') }],
      windows: [{ startsAt: at(0), endsAt: at(30) }],
    };
    const { decisions } = correlateAll(
      [
        ev(1, alert('a', c('cart'), { start: 1 })),
        ev(20, alert('a', c('cart'), { start: 1, end: 20 })),
        ev(40, alert('b', c('cart'), { start: 40 })),
      ],
      context({}, [silence]),
    );
    expect(ofType(decisions, 'suppress-alert')).toEqual([
      {
        type: 'suppress-alert',
        alertId: 'a',
        suppression: {
          reason: 'silenced',
          by: { silenceId: 'maint' },
          rule: 'silence@2',
        },
      },
    ]);
    expect(
      ofType(decisions, 'open-incident').map(d => d.incident.alertIds),
    ).toEqual([['b']]);
  });

  it('holds a group for group_wait, then opens it with everything that arrived', () => {
    const { decisions } = correlateAll(
      [
        ev(0, alert('a', c('cart'))),
        ev(0.25, alert('b', c('checkout'))),
        tick(0.5),
        tick(1),
      ],
      context({ groupWaitMs: 60_000 }),
    );
    expect(
      ofType(decisions, 'hold').map(d => [d.alertId, d.reason, d.until]),
    ).toEqual([
      ['a', 'group-wait', at(1)],
      ['b', 'group-wait', at(1)],
    ]);
    const [open] = ofType(decisions, 'open-incident');
    expect(open.incident.openedAt).toBe(at(1));
    expect(open.incident.alertIds).toEqual(['a', 'b']);
  });

  it('drops a held group whose alerts resolve before the minimum count is reached', () => {
    const { state, decisions } = correlateAll(
      [ev(0, alert('a', c('cart'))), ev(2, alert('a', c('cart'), { end: 2 }))],
      context({ minAlerts: 2 }),
    );
    expect(ofType(decisions, 'hold')).toEqual([
      expect.objectContaining({ alertId: 'a', reason: 'min-alerts' }),
    ]);
    expect(ofType(decisions, 'ignore')).toEqual([
      expect.objectContaining({ alertId: 'a', reason: 'resolved-while-held' }),
    ]);
    expect(ofType(decisions, 'open-incident')).toEqual([]);
    expect(state.incidents).toEqual({});
  });

  it('links a deployment that arrives after the incident opened', () => {
    const { decisions } = correlateAll(
      [
        ev(5, alert('a', c('cart'), { start: 5 })),
        {
          type: 'deployment',
          at: at(6),
          deployment: deployment('d1', c('cart'), 0, '2.4.0'),
        },
      ],
      context(),
    );
    const finding = ofType(decisions, 'add-finding').find(
      d => d.finding.rule === 'deploy-linked@1',
    );
    expect(finding?.key).toBe('deploy:d1');
    expect(finding?.finding.summary).toContain('cart 2.4.0');
    expect(
      ofType(decisions, 'rank-root-causes').pop()?.candidates[0].reasons,
    ).toContain('deployed 2.4.0 5 min before its first alert');
  });

  it('adds a finding where traces disagree with the catalog', () => {
    const ctx = {
      ...context(),
      graph: shopGraph([{ caller: c('checkout'), callee: r('redis') }]),
    };
    const { state } = correlateAll([ev(0, alert('a', c('checkout')))], ctx);
    expect(
      Object.values(state.incidents)[0].incident.findings.map(f => f.summary),
    ).toContain('checkout calls redis but the catalog does not say so');
  });

  it('is pure and deterministic', () => {
    const events = [
      ev(0, alert('a', c('cart'))),
      ev(1, alert('b', c('frontend'), { start: 1 })),
      tick(5),
    ];
    const first = correlateAll(events, context());
    const again = correlateAll(events, context());
    expect(again).toEqual(first);
    const before = JSON.stringify(first.state);
    correlate(
      first.state,
      ev(6, alert('c', c('cart'), { start: 6 })),
      context(),
    );
    expect(JSON.stringify(first.state)).toBe(before);
  });

  it('ignores repeat deliveries of a firing alert', () => {
    const a = alert('a', c('cart'));
    const { decisions } = correlateAll(
      [ev(0, a), ev(4, a), ev(8, a)],
      context(),
    );
    expect(ofType(decisions, 'attach-alert')).toHaveLength(1);
  });
});
