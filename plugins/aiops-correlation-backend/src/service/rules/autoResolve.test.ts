import { alert, c, T0, MIN, tracked } from '../__testUtils__/builders';
import { readyToResolve } from './autoResolve';

const cfg = {
  quietPeriodMs: 5 * MIN,
  flap: { windowMs: 30 * MIN, minTransitions: 4 },
};

describe('readyToResolve', () => {
  it('waits while any alert fires', () => {
    const alerts = [
      tracked(alert('a', c('cart'), { end: 1 })),
      tracked(alert('b', c('cart'))),
    ];
    expect(readyToResolve(alerts, T0 + 60 * MIN, cfg)).toBe(false);
  });
  it('resolves a quiet period after the last alert resolved', () => {
    const alerts = [
      tracked(alert('a', c('cart'), { end: 1 })),
      tracked(alert('b', c('cart'), { end: 3 })),
    ];
    expect(readyToResolve(alerts, T0 + 7 * MIN, cfg)).toBe(false);
    expect(readyToResolve(alerts, T0 + 8 * MIN, cfg)).toBe(true);
  });
  it('does not resolve while an alert flaps', () => {
    const flapping = tracked(alert('a', c('cart'), { end: 1 }), {
      transitions: [T0 - 20 * MIN, T0 - 10 * MIN, T0, T0 + MIN],
    });
    expect(readyToResolve([flapping], T0 + 8 * MIN, cfg)).toBe(false);
    expect(readyToResolve([flapping], T0 + 41 * MIN, cfg)).toBe(true);
  });
});
