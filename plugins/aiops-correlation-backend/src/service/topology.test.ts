import { c, r, shopGraph } from './__testUtils__/builders';

describe('TopologyGraph', () => {
  const graph = shopGraph();

  it('follows dependsOn transitively towards dependencies', () => {
    expect(graph.isUpstreamOf(r('redis'), c('frontend'))).toBe(true);
    expect(graph.isUpstreamOf(c('frontend'), r('redis'))).toBe(false);
    expect(graph.isUpstreamOf(r('redis'), c('frontend'), 2)).toBe(false);
    expect([...graph.upstreamDistances(c('checkout'))]).toEqual([
      [c('checkout'), 0],
      [c('cart'), 1],
      [r('redis'), 2],
    ]);
  });

  it('reads dependencyOf as the reverse edge', () => {
    const g = shopGraph();
    expect(g.dependenciesOf(c('cart')).map(e => e.to)).toEqual([r('redis')]);
  });

  it('turns API consumption into a dependency on the provider', () => {
    expect(graph.edge(c('web'), c('search'))?.sources).toEqual(['api']);
    expect(graph.relation(c('web'), c('search'), { maxHops: 1 })).toEqual({
      kind: 'depends-on',
      hops: 1,
    });
  });

  it('relates two components through a shared Resource in two hops', () => {
    expect(graph.relation(c('billing'), c('reports'), { maxHops: 3 })).toEqual({
      kind: 'shared-dependency',
      hops: 2,
      via: r('ledger-db'),
    });
    expect(
      graph.relation(c('billing'), c('reports'), { maxHops: 1 }),
    ).toBeUndefined();
  });

  it('does not relate services that merely share a caller', () => {
    // frontend calls both ad and checkout; that is no path for a failure between them.
    expect(
      graph.relation(c('ad'), c('checkout'), { maxHops: 5 }),
    ).toBeUndefined();
  });

  it('relates by System only when asked to', () => {
    expect(
      graph.relation(c('ad'), c('checkout'), { maxHops: 3, sameSystemHops: 3 }),
    ).toEqual({
      kind: 'same-system',
      hops: 3,
      via: 'system:default/shop',
    });
  });

  it('finds the roots of a set of affected entities', () => {
    expect(graph.rootsOf([c('frontend'), c('checkout'), c('cart')])).toEqual([
      c('cart'),
    ]);
    expect(graph.rootsOf([c('billing'), c('reports')])).toEqual([
      c('billing'),
      c('reports'),
    ]);
  });

  it('uses observed calls alongside the catalog and reports where they disagree', () => {
    const g = shopGraph([
      { caller: c('cart'), callee: r('redis') },
      { caller: c('checkout'), callee: r('redis') },
    ]);
    expect(g.isUpstreamOf(r('redis'), c('checkout'), 1)).toBe(true);
    expect(g.diffObserved().undeclared).toEqual([
      { from: c('checkout'), to: r('redis'), sources: ['observed'] },
    ]);
    // checkout → cart is declared, both ends are traced, but no call was seen.
    expect(g.diffObserved().unobserved).toEqual([
      { from: c('checkout'), to: c('cart'), sources: ['dependsOn'] },
    ]);
  });

  it('finds near an entity exactly what relation() relates it to', () => {
    const g = shopGraph();
    const refs = [
      c('frontend'),
      c('checkout'),
      c('cart'),
      r('redis'),
      c('ad'),
      c('billing'),
      c('reports'),
      r('ledger-db'),
      c('web'),
      c('search'),
    ];
    for (const options of [
      { maxHops: 1 },
      { maxHops: 3 },
      { maxHops: 2, sameSystemHops: 2 },
    ]) {
      for (const a of refs) {
        const related = refs.filter(b => g.relation(a, b, options)).sort();
        expect(
          [...g.near(a, options)].filter(b => refs.includes(b)).sort(),
        ).toEqual(related);
      }
    }
    expect([...g.downstreamDistances(r('redis'), 2)]).toEqual([
      [r('redis'), 0],
      [c('cart'), 1],
      [c('checkout'), 2],
    ]);
  });
});
