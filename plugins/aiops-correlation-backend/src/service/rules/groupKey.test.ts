import { alert, c, T0, MIN } from '../__testUtils__/builders';
import { findGroupIncident, groupKeyOf } from './groupKey';
import type { IncidentState, TrackedAlert } from '../types';

function group(
  id: string,
  key: string,
  lastActivityAt: number,
  alertIds: string[] = [],
): IncidentState {
  return {
    incident: { id, alertIds } as IncidentState['incident'],
    phase: 'open',
    groupKeys: [key],
    onsetAt: T0,
    createdAt: T0,
    lastActivityAt,
    findingsByKey: {},
  };
}

describe('groupKeyOf', () => {
  it('uses the entity ref by default, like group_by', () => {
    expect(groupKeyOf(alert('a', c('cart')), ['entity'])).toBe(
      'entity="component:default/cart"',
    );
  });
  it('groups unowned alerts by alertname', () => {
    expect(
      groupKeyOf(alert('a', undefined, { title: 'DiskFull' }), ['entity']),
    ).toBe('entity="unowned:DiskFull"');
  });
  it('takes any labels in the given order', () => {
    const a = alert('a', c('cart'), { labels: { cluster: 'eu-1' } });
    expect(groupKeyOf(a, ['cluster', 'alertname', 'missing'])).toBe(
      'cluster="eu-1",alertname="a-title",missing=""',
    );
  });
});

describe('findGroupIncident', () => {
  const key = 'entity="component:default/cart"';
  it('joins within the window of the last activity', () => {
    const incidents = [group('i1', key, T0)];
    expect(
      findGroupIncident(incidents, {}, key, T0 + 30 * MIN, 30 * MIN)?.incident
        .id,
    ).toBe('i1');
    expect(
      findGroupIncident(incidents, {}, key, T0 + 31 * MIN, 30 * MIN),
    ).toBeUndefined();
    expect(
      findGroupIncident(incidents, {}, 'other', T0, 30 * MIN),
    ).toBeUndefined();
  });
  it('keeps joining while the incident still has a firing alert', () => {
    const alerts = { a: { status: 'firing' } as TrackedAlert };
    expect(
      findGroupIncident(
        [group('i1', key, T0, ['a'])],
        alerts,
        key,
        T0 + 120 * MIN,
        30 * MIN,
      )?.incident.id,
    ).toBe('i1');
  });
  it('prefers the most recently active incident', () => {
    const incidents = [group('i1', key, T0), group('i2', key, T0 + 5 * MIN)];
    expect(
      findGroupIncident(incidents, {}, key, T0 + 6 * MIN, 30 * MIN)?.incident
        .id,
    ).toBe('i2');
  });
});
