import { c, r, shopGraph } from '../__testUtils__/builders';
import { observedTopologyFindings } from './observedTopology';

describe('observedTopologyFindings', () => {
  const graph = shopGraph([
    { caller: c('checkout'), callee: r('redis') },
    { caller: c('cart'), callee: r('redis') },
    { caller: c('ad'), callee: c('search') },
  ]);

  it('reports undeclared calls that touch an affected entity', () => {
    expect(observedTopologyFindings([c('checkout')], graph)).toEqual([
      {
        key: 'observed:component:default/checkout->resource:default/redis',
        finding: {
          rule: 'observed-topology@1',
          summary: 'checkout calls redis but the catalog does not say so',
          evidence: [
            {
              kind: 'edge',
              id: 'component:default/checkout->resource:default/redis',
            },
            { kind: 'entity', id: c('checkout') },
            { kind: 'entity', id: r('redis') },
          ],
          confidence: 0.8,
        },
      },
    ]);
  });

  it('says nothing about declared calls or unaffected entities', () => {
    expect(observedTopologyFindings([c('cart')], graph)).toEqual([]);
    expect(observedTopologyFindings([c('frontend')], graph)).toEqual([]);
  });
});
