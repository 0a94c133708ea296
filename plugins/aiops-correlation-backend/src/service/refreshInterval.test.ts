import { alert, at, c, deployment, shopGraph } from './__testUtils__/builders';
import { correlationConfig } from './config';
import { correlateSteps, emptyCorrelationState } from './correlate';
import type { Alert } from '@aiops/plugin-aiops-common';
import type { CorrelationEvent } from './types';

const context = {
  graph: shopGraph(),
  config: correlationConfig(),
  silences: [],
};
const arrives = (a: Alert): CorrelationEvent => ({
  type: 'alert',
  at: a.lastSeenAt,
  alert: a,
});

/** A state and a batch function that re-derives open incidents at most once a minute. */
function correlation() {
  const state = emptyCorrelationState();
  const batch = (events: CorrelationEvent[]) =>
    correlateSteps(events, context, state, {
      inPlace: true,
      coalesce: true,
      refreshIntervalMs: 60_000,
    });
  return { state, batch };
}

describe('refresh interval', () => {
  it('re-derives an open incident at most once per interval, at once for a more severe alert', () => {
    const { state, batch } = correlation();
    const decisionTypes = (result: ReturnType<typeof batch>) =>
      result.steps.flatMap(s => s.decisions.map(d => d.type));

    const opened = batch([arrives(alert('cart', c('cart'), { start: 0 }))]);
    expect(decisionTypes(opened)).toContain('open-incident');
    const [id] = Object.keys(state.incidents);
    expect(opened.refreshed).toEqual([id]);

    // Joins at once, but is not re-ranked within the interval.
    const joined = batch([
      arrives(alert('checkout', c('checkout'), { start: 0.5 })),
    ]);
    expect(decisionTypes(joined)).toEqual(['attach-alert']);
    expect(joined.refreshed).toEqual([]);
    const inc = state.incidents[id];
    expect(inc.refreshDue).toBe(true);
    expect(inc.incident.affectedEntityRefs).toEqual([c('cart')]);

    // A more severe alert is not kept waiting: the severity rises now.
    const critical = batch([
      arrives(
        alert('front', c('frontend'), { start: 1, severity: 'critical' }),
      ),
    ]);
    expect(critical.refreshed).toEqual([id]);
    expect(inc.incident.severity).toBe('critical');
    expect(inc.incident.affectedEntityRefs).toEqual([
      c('cart'),
      c('checkout'),
      c('frontend'),
    ]);

    batch([arrives(alert('checkout-2', c('checkout'), { start: 1.5 }))]);
    expect(inc.refreshDue).toBe(true);
    expect(inc.incident.title).toContain('+2 related alerts');

    // The first batch after the interval (here a tick) catches up.
    const tick = batch([{ type: 'tick', at: at(2.5) }]);
    expect(tick.refreshed).toEqual([id]);
    expect(inc.refreshDue).toBeUndefined();
    expect(inc.incident.title).toContain('+3 related alerts');
    expect(decisionTypes(tick)).toContain('add-finding');

    // New evidence is never held back: a deployment is linked with its own batch.
    batch([arrives(alert('checkout-3', c('checkout'), { start: 2.6 }))]);
    expect(inc.refreshDue).toBe(true);
    const deployed = batch([
      {
        type: 'deployment',
        at: at(2.7),
        deployment: deployment('d1', c('cart'), -5, '2.0.0'),
      },
    ]);
    expect(deployed.refreshed).toEqual([id]);
    expect(Object.keys(inc.findingsByKey)).toContain('deploy:d1');
  });

  function throttled() {
    const { state, batch } = correlation();
    batch([arrives(alert('cart', c('cart'), { start: 0 }))]);
    batch([arrives(alert('checkout', c('checkout'), { start: 0.5 }))]);
    const [id] = Object.keys(state.incidents);
    const inc = state.incidents[id];
    expect(inc.refreshDue).toBe(true);
    return { state, batch, id, inc };
  }

  it('brings an incident up to date when a person resolves it while it waits', () => {
    const { batch, id, inc } = throttled();
    const resolved = batch([
      {
        type: 'incident-lifecycle',
        at: at(0.6),
        incidentId: id,
        action: 'resolve',
      },
    ]);
    expect(resolved.refreshed).toEqual([id]);
    expect(inc.refreshDue).toBeUndefined();
    expect(inc.incident.affectedEntityRefs).toEqual([c('cart'), c('checkout')]);
  });

  it('is not held back by an event time from the future', () => {
    const { batch, inc } = throttled();
    // A deployment stamped an hour ahead re-derives the incident at that time ...
    batch([
      {
        type: 'deployment',
        at: at(60),
        deployment: deployment('d-ahead', c('ad'), 59),
      },
    ]);
    batch([arrives(alert('checkout-2', c('checkout'), { start: 1 }))]);
    // ... and later batches, earlier by the clock, still refresh it.
    expect(inc.refreshDue).toBeUndefined();
    expect(inc.incident.title).toContain('+2 related alerts');
    expect(batch([{ type: 'tick', at: at(2) }]).refreshed).toEqual([]);
    expect(Object.keys(inc.findingsByKey)).not.toContain('deploy:d-ahead');
  });

  it('raises the severity at once for a more severe alert that fired and resolved in one batch', () => {
    const { batch, inc } = throttled();
    const fired = alert('front', c('frontend'), {
      start: 0.7,
      severity: 'critical',
    });
    const settled = {
      ...fired,
      status: 'resolved' as const,
      endsAt: at(0.8),
      lastSeenAt: at(0.8),
    };
    batch([arrives(fired), arrives(settled)]);
    expect(inc.incident.severity).toBe('critical');
  });
});
