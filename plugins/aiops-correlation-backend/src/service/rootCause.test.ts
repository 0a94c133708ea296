import {
  alert,
  c,
  deployment,
  entity,
  r,
  shopGraph,
  MIN,
} from './__testUtils__/builders';
import { MAX_EVIDENCE, MAX_NAMES, MAX_ROOT_CAUSE_CANDIDATES } from './bounds';
import { rankRootCauses } from './rootCause';
import { TopologyGraph } from './topology';

const graph = shopGraph();
const options = { maxHops: 3, deployWindowMs: 60 * MIN };

describe('rankRootCauses', () => {
  it('puts the upstream-most affected entity first even when a symptom fired earlier', () => {
    const ranked = rankRootCauses(
      [
        alert('front', c('frontend'), { start: 0, severity: 'critical' }),
        alert('check', c('checkout'), { start: 1 }),
        alert('cart', c('cart'), { start: 2 }),
      ],
      [],
      graph,
      options,
    );
    expect(ranked.map(x => x.entityRef)).toEqual([
      c('cart'),
      c('checkout'),
      c('frontend'),
    ]);
    expect(ranked[0].reasons).toEqual([
      'no other affected entity is upstream of it',
      'upstream of checkout, frontend',
    ]);
    expect(ranked[0].evidence).toEqual([{ kind: 'alert', id: 'cart' }]);
    for (const x of ranked) expect(x.score).toBeGreaterThanOrEqual(0);
    expect(ranked[0].score).toBeLessThanOrEqual(1);
  });

  it('uses onset, a recent deploy and severity between unrelated roots', () => {
    const alerts = [
      alert('billing', c('billing'), { start: 0, severity: 'warning' }),
      alert('ad', c('ad'), { start: 3 }),
    ];
    expect(rankRootCauses(alerts, [], graph, options)[0].entityRef).toBe(
      c('billing'),
    );
    const ranked = rankRootCauses(
      alerts,
      [deployment('d1', c('ad'), 1, '9.9.9')],
      graph,
      options,
    );
    expect(ranked[0].entityRef).toBe(c('ad'));
    expect(ranked[0].reasons).toContain(
      'deployed 9.9.9 2 min before its first alert',
    );
    expect(ranked[0].evidence).toContainEqual({ kind: 'deployment', id: 'd1' });
  });

  it('infers a shared dependency nobody alerted on', () => {
    const ranked = rankRootCauses(
      [
        alert('b', c('billing'), { start: 0 }),
        alert('r', c('reports'), { start: 1 }),
      ],
      [],
      graph,
      options,
    );
    expect(ranked[0].entityRef).toBe(r('ledger-db'));
    expect(ranked[0].evidence).toEqual([
      { kind: 'entity', id: r('ledger-db') },
    ]);
    expect(ranked[0].reasons[0]).toContain('not alerting');
  });

  it('ignores unowned alerts and returns nothing without entities', () => {
    expect(rankRootCauses([alert('u', undefined)], [], graph, options)).toEqual(
      [],
    );
  });

  it('keeps the ranking of a storm bounded: the top candidates, each with its earliest alerts', () => {
    // One database and 30 services on it, each with two alerts; the database has 40 alerts.
    const services = Array.from({ length: 30 }, (_, i) => c(`svc-${i}`));
    const storm = TopologyGraph.build(
      [
        entity(r('db'), { dependencyOf: services }),
        ...services.map(ref => entity(ref, { dependsOn: [r('db')] })),
      ],
      [],
    );
    const alerts = [
      ...Array.from({ length: 40 }, (_, i) =>
        // Ids in reverse of onset, so evidence order must come from onset, not ids.
        alert(`db-${String(99 - i)}`, r('db'), {
          start: i,
          severity: 'critical',
        }),
      ),
      ...services.flatMap((ref, i) => [
        alert(`s${i}a`, ref, { start: 50 }),
        alert(`s${i}b`, ref, { start: 51 }),
      ]),
    ];
    const ranked = rankRootCauses(alerts, [], storm, options);
    expect(ranked).toHaveLength(MAX_ROOT_CAUSE_CANDIDATES);
    expect(ranked[0].entityRef).toBe(r('db'));
    expect(ranked[0].evidence).toHaveLength(MAX_EVIDENCE);
    expect(ranked[0].evidence.slice(0, 2)).toEqual([
      { kind: 'alert', id: 'db-99' },
      { kind: 'alert', id: 'db-98' },
    ]);
    expect(ranked[0].reasons).toContain(
      `upstream of ${services
        .map(ref => ref.split('/')[1])
        .sort()
        .slice(0, MAX_NAMES)
        .join(', ')} and ${30 - MAX_NAMES} more`,
    );
  });
});
