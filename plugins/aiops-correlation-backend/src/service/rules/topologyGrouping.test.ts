import {
  alert,
  c,
  r,
  shopGraph,
  T0,
  MIN,
  tracked,
} from '../__testUtils__/builders';
import { findTopologyIncident } from './topologyGrouping';
import type { IncidentState, TrackedAlert } from '../types';
import { DEFAULT_CORRELATION_CONFIG } from '../config';

const config = DEFAULT_CORRELATION_CONFIG.topology;
const graph = shopGraph();

function setup(groups: Record<string, string[]>) {
  const alerts: Record<string, TrackedAlert> = {};
  const incidents: IncidentState[] = Object.entries(groups).map(
    ([id, refs]) => {
      const alertIds = refs.map((ref, i) => {
        const a = tracked(alert(`${id}-${i}`, ref), { incidentId: id });
        alerts[a.alert.id] = a;
        return a.alert.id;
      });
      return {
        incident: { id, alertIds } as IncidentState['incident'],
        phase: 'open',
        groupKeys: [],
        onsetAt: T0,
        createdAt: T0,
        lastActivityAt: T0,
        findingsByKey: {},
      };
    },
  );
  return { alerts, incidents };
}

describe('findTopologyIncident', () => {
  it('joins a caller to the incident of its dependency (a symptom)', () => {
    const { alerts, incidents } = setup({ cart: [c('cart')] });
    const match = findTopologyIncident(
      c('frontend'),
      T0,
      incidents,
      alerts,
      graph,
      config,
    );
    expect(match?.incident.incident.id).toBe('cart');
    expect(match?.relation).toEqual({ kind: 'depends-on', hops: 2 });
  });

  it('joins a dependency of the root (the real root arrives late)', () => {
    const { alerts, incidents } = setup({ i: [c('frontend'), c('checkout')] });
    const match = findTopologyIncident(
      c('cart'),
      T0,
      incidents,
      alerts,
      graph,
      config,
    );
    expect(match?.anchor).toBe(c('checkout'));
    expect(match?.relation.kind).toBe('dependency-of');
  });

  it('joins a sibling over a shared Resource', () => {
    const { alerts, incidents } = setup({ i: [c('billing')] });
    expect(
      findTopologyIncident(c('reports'), T0, incidents, alerts, graph, config)
        ?.relation,
    ).toEqual({
      kind: 'shared-dependency',
      hops: 2,
      via: r('ledger-db'),
    });
  });

  it('does not chain unrelated failures through a shared caller', () => {
    // frontend joined the ad incident; checkout is a dependency of frontend but unrelated to ad.
    const { alerts, incidents } = setup({ ad: [c('ad'), c('frontend')] });
    expect(
      findTopologyIncident(c('checkout'), T0, incidents, alerts, graph, config),
    ).toBeUndefined();
  });

  it('respects maxHops, the window and the switch', () => {
    const { alerts, incidents } = setup({ redis: [r('redis')] });
    expect(
      findTopologyIncident(c('frontend'), T0, incidents, alerts, graph, {
        ...config,
        maxHops: 2,
      }),
    ).toBeUndefined();
    expect(
      findTopologyIncident(
        c('cart'),
        T0 + 16 * MIN,
        incidents,
        alerts,
        graph,
        config,
      ),
    ).toBeUndefined();
    expect(
      findTopologyIncident(c('cart'), T0, incidents, alerts, graph, {
        ...config,
        enabled: false,
      }),
    ).toBeUndefined();
  });

  it('relates a whole System only when enabled', () => {
    const { alerts, incidents } = setup({ ad: [c('ad')] });
    expect(
      findTopologyIncident(c('cart'), T0, incidents, alerts, graph, config),
    ).toBeUndefined();
    expect(
      findTopologyIncident(c('cart'), T0, incidents, alerts, graph, {
        ...config,
        sameSystem: true,
      })?.relation.kind,
    ).toBe('same-system');
  });

  it('prefers the closest incident, then the larger one', () => {
    const { alerts, incidents } = setup({
      a: [c('ad')],
      b: [c('checkout'), c('checkout')],
    });
    expect(
      findTopologyIncident(c('frontend'), T0, incidents, alerts, graph, config)
        ?.incident.incident.id,
    ).toBe('b');
  });
});
