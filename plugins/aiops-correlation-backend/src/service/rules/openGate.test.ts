import { alert, c, T0, MIN, tracked } from '../__testUtils__/builders';
import { gateStatus } from './openGate';
import type { IncidentState, TrackedAlert } from '../types';

function held(alerts: TrackedAlert[]): IncidentState {
  return {
    incident: {
      id: 'i',
      alertIds: alerts.map(a => a.alert.id),
    } as IncidentState['incident'],
    phase: 'pending',
    groupKeys: [],
    onsetAt: T0,
    createdAt: T0,
    lastActivityAt: T0,
    findingsByKey: {},
  };
}
const byId = (alerts: TrackedAlert[]) =>
  Object.fromEntries(alerts.map(a => [a.alert.id, a]));
const defaults = { groupWaitMs: 0, minAlerts: 1, minDurationMs: 0 };

describe('gateStatus', () => {
  const one = [tracked(alert('a', c('cart')))];

  it('opens at once with the defaults', () => {
    expect(gateStatus(held(one), byId(one), T0, T0, defaults)).toEqual({
      open: true,
    });
  });

  it('holds for group_wait from the group creation', () => {
    const cfg = { ...defaults, groupWaitMs: 30_000 };
    expect(gateStatus(held(one), byId(one), T0, T0 + 29_000, cfg)).toEqual({
      open: false,
      reason: 'group-wait',
      until: T0 + 30_000,
    });
    expect(gateStatus(held(one), byId(one), T0, T0 + 30_000, cfg).open).toBe(
      true,
    );
  });

  it('holds until enough alerts fire', () => {
    const two = [...one, tracked(alert('b', c('cart'), { end: 1 }))];
    expect(
      gateStatus(held(two), byId(two), T0, T0, { ...defaults, minAlerts: 2 }),
    ).toEqual({ open: false, reason: 'min-alerts' });
    const firing = [...one, tracked(alert('b', c('cart')))];
    expect(
      gateStatus(held(firing), byId(firing), T0, T0, {
        ...defaults,
        minAlerts: 2,
      }).open,
    ).toBe(true);
  });

  it('holds until the first alert has fired long enough', () => {
    const cfg = { ...defaults, minDurationMs: 5 * MIN };
    expect(
      gateStatus(held(one), byId(one), T0, T0 + 4 * MIN, cfg),
    ).toMatchObject({ reason: 'min-duration' });
    expect(gateStatus(held(one), byId(one), T0, T0 + 5 * MIN, cfg).open).toBe(
      true,
    );
  });
});
