import { alert, at, c, r, shopGraph, T0, MIN } from '../__testUtils__/builders';
import { correlateAll } from '../correlate';
import { correlationConfig } from '../config';
import { senderOnset } from './clockSkew';

describe('clock policy', () => {
  it('takes a future startsAt as the arrival and says how far ahead the sender was', () => {
    expect(senderOnset(at(10), T0)).toEqual({ onsetAt: T0, skewMs: 10 * MIN });
    expect(senderOnset(at(-60), T0)).toEqual({ onsetAt: T0 - 60 * MIN });
  });

  it('opens a group at once although its sender stamps it ten minutes ahead', () => {
    // The sender's clock is ten minutes ahead: it stamps startsAt = at(10) at minute 0.
    const skewed = {
      ...alert('redis-down', r('redis'), { severity: 'critical', start: 10 }),
      lastSeenAt: at(0),
    };
    const { state, decisions } = correlateAll(
      [
        { type: 'alert', at: at(0), alert: skewed },
        { type: 'tick', at: at(1.5) },
        {
          type: 'alert',
          at: at(2),
          alert: alert('cart-errors', c('cart'), { start: 2 }),
        },
      ],
      {
        graph: shopGraph(),
        // Like Prometheus `for: 1m`: counted from the onset, not from the sender's clock.
        config: correlationConfig({ minDurationMs: MIN }),
        silences: [],
      },
    );
    const opened = decisions.filter(d => d.type === 'open-incident');
    expect(opened).toHaveLength(1);
    const incident = Object.values(state.incidents)[0].incident;
    expect(incident.openedAt).toBe(at(1.5));
    expect(incident.alertIds.sort()).toEqual(['cart-errors', 'redis-down']);
    expect(incident.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'clock-skew@1',
          evidence: [{ kind: 'alert', id: 'redis-down' }],
        }),
      ]),
    );
    expect(state.alerts['redis-down'].clockSkewMs).toBe(10 * MIN);
  });
});
