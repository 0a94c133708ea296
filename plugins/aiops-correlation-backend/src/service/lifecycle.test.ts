import { alert, at, c, shopGraph } from './__testUtils__/builders';
import { correlateAll, correlateSteps } from './correlate';
import { correlationConfig } from './config';
import type { CorrelationContext, CorrelationEvent } from './types';
import { MANUAL_MERGE_RULE } from './lifecycle';

const context: CorrelationContext = {
  graph: shopGraph(),
  // Unrelated alerts stay apart, so the test chooses what is merged.
  config: correlationConfig({ topology: { enabled: false } }),
  silences: [],
};
const fire = (
  minute: number,
  id: string,
  entity: string,
): CorrelationEvent => ({
  type: 'alert',
  at: at(minute),
  alert: alert(id, c(entity), { start: minute }),
});
const openedIds = (events: CorrelationEvent[]) =>
  correlateAll(events, context)
    .decisions.filter(d => d.type === 'open-incident')
    .map(d => (d.type === 'open-incident' ? d.incident.id : ''));

describe('following what people do to incidents', () => {
  it('a manually resolved incident takes no new alerts; a new one opens', () => {
    const [first] = openedIds([fire(0, 'a1', 'cart')]);
    const { state, decisions } = correlateAll(
      [
        fire(0, 'a1', 'cart'),
        {
          type: 'incident-lifecycle',
          at: at(5),
          incidentId: first,
          action: 'resolve',
        },
        fire(6, 'a2', 'cart'),
      ],
      context,
    );
    expect(state.incidents[first].incident.status).toBe('resolved');
    const opened = decisions.filter(d => d.type === 'open-incident');
    expect(opened).toHaveLength(2);
    expect(state.alerts.a2.incidentId).not.toBe(first);
  });

  it('a reopened incident takes alerts of its group again', () => {
    const [first] = openedIds([fire(0, 'a1', 'cart')]);
    const { state } = correlateAll(
      [
        fire(0, 'a1', 'cart'),
        {
          type: 'incident-lifecycle',
          at: at(5),
          incidentId: first,
          action: 'resolve',
        },
        {
          type: 'incident-lifecycle',
          at: at(6),
          incidentId: first,
          action: 'reopen',
        },
        fire(7, 'a2', 'cart'),
      ],
      context,
    );
    expect(state.incidents[first].incident.status).toBe('open');
    expect(state.alerts.a2.incidentId).toBe(first);
  });

  it('merging moves the alerts into the target and ranks root causes over all of them', () => {
    const [cart, ad] = openedIds([fire(0, 'a1', 'cart'), fire(1, 'a2', 'ad')]);
    const { state, steps } = correlateSteps(
      [
        fire(0, 'a1', 'cart'),
        fire(1, 'a2', 'ad'),
        { type: 'incidents-merged', at: at(3), sourceId: ad, targetId: cart },
      ],
      context,
    );
    const target = state.incidents[cart];
    expect(target.incident.alertIds.sort()).toEqual(['a1', 'a2']);
    expect(state.alerts.a2).toMatchObject({
      incidentId: cart,
      joinedBy: { rule: MANUAL_MERGE_RULE },
    });
    expect(state.incidents[ad].incident).toMatchObject({
      status: 'resolved',
      mergedInto: cart,
      alertIds: [],
    });
    expect(target.incident.affectedEntityRefs).toEqual(
      expect.arrayContaining([c('cart'), c('ad')]),
    );
    // The merge is announced as re-ranked root causes of the target, not as new attachments.
    const mergeDecisions = steps[2].decisions;
    expect(mergeDecisions.some(d => d.type === 'attach-alert')).toBe(false);
    expect(
      mergeDecisions.some(
        d => d.type === 'rank-root-causes' && d.incidentId === cart,
      ),
    ).toBe(true);
  });

  it('the batch copy leaves the input state alone', () => {
    const { state } = correlateAll([fire(0, 'a1', 'cart')], context);
    const before = JSON.stringify(state);
    correlateSteps([fire(1, 'a2', 'cart')], context, state);
    expect(JSON.stringify(state)).toBe(before);
  });
});
