import type { Alert } from '@aiops/plugin-aiops-common';
import { alert, at, c, r, shopGraph } from '../__testUtils__/builders';
import { correlateAll } from '../correlate';
import { correlationConfig } from '../config';
import type {
  CorrelationContext,
  CorrelationDecision,
  CorrelationEvent,
} from '../types';

// The shop: frontend → checkout → cart → redis, and frontend → ad.
const context = (): CorrelationContext => ({
  graph: shopGraph(),
  config: correlationConfig(),
  silences: [],
});
const ev = (minute: number, a: Alert): CorrelationEvent => ({
  type: 'alert',
  at: at(minute),
  alert: a,
});
const ofType = <T extends CorrelationDecision['type']>(
  ds: CorrelationDecision[],
  type: T,
) =>
  ds.filter(
    (d): d is Extract<CorrelationDecision, { type: T }> => d.type === type,
  );
const incidentOf = (
  state: ReturnType<typeof correlateAll>['state'],
  alertId: string,
) => state.alerts[alertId].incidentId;

describe('membership review and page anchors (issue [L] classes 1 and 3)', () => {
  it('never lets a warning anchor a page-level alert, and leaves an unrelated warning alone', () => {
    const { state, decisions } = correlateAll(
      [
        ev(0, alert('ad-slow', c('ad'), { severity: 'warning' })),
        ev(
          1,
          alert('front-5xx', c('frontend'), { severity: 'critical', start: 1 }),
        ),
        ev(
          2,
          alert('redis-down', r('redis'), { severity: 'critical', start: 2 }),
        ),
      ],
      context(),
    );
    // frontend depends on ad, but ad only has a warning: the page starts its own incident,
    // which the real cause (redis, three hops down) then joins.
    expect(incidentOf(state, 'front-5xx')).not.toBe(
      incidentOf(state, 'ad-slow'),
    );
    expect(incidentOf(state, 'redis-down')).toBe(
      incidentOf(state, 'front-5xx'),
    );
    const page = state.incidents[incidentOf(state, 'front-5xx')!].incident;
    expect(page.primaryEntityRef).toBe(r('redis'));
    // ad does not depend on anything of the page's incident: it stays where it is.
    expect(ofType(decisions, 'move-alert')).toEqual([]);
    expect(state.incidents[incidentOf(state, 'ad-slow')!].incident.status).toBe(
      'open',
    );
  });

  it('moves a front-door symptom to the incident that comes to explain it better, once', () => {
    const { state, decisions } = correlateAll(
      [
        ev(0, alert('ad-errors', c('ad'))),
        ev(
          0.5,
          alert('redis-down', r('redis'), { severity: 'critical', start: 0.5 }),
        ),
        // One hop to ad, three to redis: it joins the ad incident.
        ev(
          1,
          alert('front-5xx', c('frontend'), { severity: 'critical', start: 1 }),
        ),
        ev(1.2, alert('cart-errors', c('cart'), { start: 1.2 })),
        ev(1.3, alert('checkout-1', c('checkout'), { start: 1.3 })),
        ev(1.4, alert('checkout-2', c('checkout'), { start: 1.4 })),
        // More ad alerts later do not trade it back.
        ev(1.5, alert('ad-errors-2', c('ad'), { start: 1.5 })),
        ev(1.6, alert('ad-errors-3', c('ad'), { start: 1.6 })),
        ev(1.7, alert('ad-errors-4', c('ad'), { start: 1.7 })),
        ev(1.8, alert('ad-errors-5', c('ad'), { start: 1.8 })),
      ],
      context(),
    );
    const adIncident = incidentOf(state, 'ad-errors')!;
    const redisIncident = incidentOf(state, 'redis-down')!;
    expect(incidentOf(state, 'front-5xx')).toBe(redisIncident);
    const moves = ofType(decisions, 'move-alert');
    expect(moves).toEqual([
      {
        type: 'move-alert',
        alertId: 'front-5xx',
        fromIncidentId: adIncident,
        incidentId: redisIncident,
        rule: 'membership-review@1',
        reason:
          'frontend depends on checkout (1 hop), nearer than ad (1 hop) in a smaller incident (1 alert)',
      },
    ]);
    expect(state.incidents[adIncident].incident.alertIds).not.toContain(
      'front-5xx',
    );
    expect(state.incidents[redisIncident].incident.alertIds).toContain(
      'front-5xx',
    );
    // A later alert of the frontend finds the new home by its group key.
    const later = correlateAll(
      [
        ev(
          2,
          alert('front-5xx-2', c('frontend'), {
            severity: 'critical',
            start: 2,
          }),
        ),
      ],
      context(),
      state,
    );
    expect(incidentOf(later.state, 'front-5xx-2')).toBe(redisIncident);
  });

  it('does not move an alert that started longer than the topology window ago', () => {
    const { decisions } = correlateAll(
      [
        ev(0, alert('ad-errors', c('ad'))),
        ev(0, alert('redis-down', r('redis'), { severity: 'critical' })),
        ev(
          1,
          alert('front-5xx', c('frontend'), { severity: 'critical', start: 1 }),
        ),
        ev(20, alert('cart-errors', c('cart'), { start: 20 })),
        ev(20, alert('checkout-1', c('checkout'), { start: 20 })),
        ev(20, alert('checkout-2', c('checkout'), { start: 20 })),
      ],
      context(),
    );
    expect(ofType(decisions, 'move-alert')).toEqual([]);
  });
});
