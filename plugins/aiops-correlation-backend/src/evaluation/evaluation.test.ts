import { loadDemoCatalog } from './demoCatalog';
import { evaluate, formatReport } from './evaluate';
import { meetsTargets } from './targets';
import { TOPOLOGIES } from './topologies';

describe('correlation evaluation on the demo topology', () => {
  const catalog = loadDemoCatalog();

  it('reads the demo catalog with its relations', () => {
    const cart = catalog.find(e => e.entityRef === 'component:default/cart')!;
    expect(cart).toMatchObject({
      owner: 'group:default/checkout-team',
      system: 'system:default/online-boutique',
      dependsOn: ['resource:default/redis-cart'],
      dependencyOf: [
        'component:default/checkout',
        'component:default/frontend',
      ],
      providesApis: ['api:default/cart-api'],
    });
    expect(
      catalog.find(e => e.entityRef === 'resource:default/ledger-db')
        ?.dependencyOf,
    ).toEqual([
      'component:default/balance-reader',
      'component:default/ledger-writer',
      'component:default/transaction-history',
    ]);
  });

  it.each(TOPOLOGIES.map(t => [t.name, t] as const))(
    'meets the targets of issues [C] and [L] on %s',
    (name, topology) => {
      const report = evaluate(
        topology.scenarios,
        topology.catalog(),
        undefined,
        name,
      );
      // The table is the harness's output; keep it visible in the test log.
      // eslint-disable-next-line no-console
      console.log(formatReport(report));
      expect(meetsTargets(report)).toEqual([]);
      for (const s of report.scenarios) {
        expect({
          name: s.name,
          incidents: s.incidents,
          top1: s.top1,
          missing: s.missingFindings,
          wrong: s.wronglyIncluded,
        }).toEqual({
          name: s.name,
          incidents: s.expectedIncidents,
          top1: 1,
          missing: [],
          wrong: [],
        });
      }
    },
  );
});
