import type { Alert } from '@aiops/plugin-aiops-common';
import { alert, at, c, MIN, shopGraph, T0 } from '../__testUtils__/builders';
import { correlate, correlateAll } from '../correlate';
import { correlationConfig } from '../config';
import { toCoreSilence, validateSilenceSpec } from '../silenceSchedule';
import type {
  CorrelationContext,
  CorrelationDecision,
  CorrelationEvent,
  CoreSilence as Silence,
} from '../types';

const ev = (minute: number, a: Alert): CorrelationEvent => ({
  type: 'alert',
  at: at(minute),
  alert: a,
});
const tick = (minute: number): CorrelationEvent => ({
  type: 'tick',
  at: at(minute),
});
const context = (silences: Silence[]): CorrelationContext => ({
  graph: shopGraph(),
  config: correlationConfig(),
  silences,
});
const types = (decisions: CorrelationDecision[]) => decisions.map(d => d.type);

/** Weekly 30-minute maintenance of cart and checkout, the first one at T0 (a Thursday). */
const maintenance = toCoreSilence(
  {
    id: 'maint',
    ...validateSilenceSpec({
      matchers: [
        { name: 'entity', op: '=~', value: `${c('cart')}|${c('checkout')}` },
      ],
      startsAt: at(0),
      endsAt: at(30),
      rrule: 'FREQ=WEEKLY;BYDAY=TH',
      comment: 'cart database upgrade',
    }),
    createdBy: 'user:default/ops',
    createdAt: at(-60),
  },
  T0 - 60 * MIN,
  T0 + 8 * 24 * 60 * MIN,
);

describe('releaseEndedSilences', () => {
  it('opens an incident for an alert still firing when its maintenance window ends', () => {
    const during = correlateAll(
      [
        ev(1, alert('cart-down', c('cart'), { start: 1 })),
        ev(2, alert('checkout-errors', c('checkout'), { start: 2 })),
        ev(10, alert('checkout-errors', c('checkout'), { start: 2, end: 10 })),
        tick(29),
      ],
      context([maintenance]),
    );
    expect(types(during.decisions)).toEqual([
      'suppress-alert',
      'suppress-alert',
    ]);
    expect(during.state.incidents).toEqual({});

    const after = correlate(during.state, tick(30), context([maintenance]));
    const opened = after.decisions.filter(d => d.type === 'open-incident');
    expect(opened).toEqual([
      expect.objectContaining({
        incident: expect.objectContaining({
          alertIds: ['cart-down'],
          openedAt: at(30),
          ruleVersions: expect.arrayContaining(['silence@2']),
        }),
        rule: 'group-key@1',
      }),
    ]);
    expect(after.state.alerts['cart-down'].suppression).toBeUndefined();
    // The alert that resolved inside the window opens nothing and is forgotten.
    expect(after.state.alerts['checkout-errors']).toBeUndefined();
  });

  it('leaves alerts muted while the next occurrence of the window holds them', () => {
    const nextWeek = 7 * 24 * 60;
    const { decisions } = correlateAll(
      [
        ev(
          nextWeek + 5,
          alert('cart-down', c('cart'), { start: nextWeek + 5 }),
        ),
        tick(nextWeek + 29),
      ],
      context([maintenance]),
    );
    expect(types(decisions)).toEqual(['suppress-alert']);
  });

  it('joins a released alert to a related incident that opened meanwhile', () => {
    const { decisions } = correlateAll(
      [
        ev(15, alert('cart-down', c('cart'), { start: 15 })),
        ev(25, alert('frontend-errors', c('frontend'), { start: 25 })),
        tick(30),
      ],
      context([maintenance]),
    );
    expect(
      decisions
        .filter(d => d.type === 'attach-alert')
        .map(d => d.type === 'attach-alert' && [d.alertId, d.rule]),
    ).toEqual([
      ['frontend-errors', 'group-key@1'],
      ['cart-down', 'topology-grouping@2'],
    ]);
  });

  it('lifts the silence of an incident member without grouping it again', () => {
    const { state } = correlateAll(
      [ev(0, alert('cart-down', c('cart')))],
      context([]),
    );
    const [incidentId] = Object.keys(state.incidents);
    state.alerts['cart-down'].suppression = {
      reason: 'silenced',
      by: { silenceId: 'gone' },
      rule: 'silence@2',
    };
    const { state: next, decisions } = correlate(state, tick(40), context([]));
    expect(decisions).toEqual([
      { type: 'unsuppress-alert', alertId: 'cart-down', incidentId },
    ]);
    expect(next.incidents[incidentId].incident.alertIds).toEqual(['cart-down']);
  });
});
