import {
  alert,
  c,
  deployment,
  r,
  shopGraph,
  MIN,
} from './__testUtils__/builders';
import { rankRootCauses } from './rootCause';

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
});
