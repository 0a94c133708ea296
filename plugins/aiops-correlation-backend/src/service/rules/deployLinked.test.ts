import {
  alert,
  c,
  deployment,
  r,
  shopGraph,
  MIN,
  tracked,
} from '../__testUtils__/builders';
import { linkDeployments } from './deployLinked';

const graph = shopGraph();
const options = { windowMs: 60 * MIN, maxHops: 3 };

describe('linkDeployments', () => {
  it('links a deployment of an affected entity before the onset, with id, version and time', () => {
    const links = linkDeployments(
      [tracked(alert('a', c('cart'), { start: 6 }))],
      [deployment('d1', c('cart'), 0, '2.4.0')],
      graph,
      options,
    );
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      entityRef: c('cart'),
      alertId: 'a',
      leadMs: 6 * MIN,
      hops: 0,
    });
    expect(links[0].finding).toEqual({
      rule: 'deploy-linked@1',
      summary:
        'cart 2.4.0 was deployed at 2026-01-01T10:00:00.000Z (deployment d1), 6 min before the first alert on cart',
      evidence: [
        { kind: 'deployment', id: 'd1' },
        { kind: 'alert', id: 'a' },
      ],
      confidence: 0.86,
    });
  });

  it('links a deployment of a dependency of an affected entity', () => {
    const links = linkDeployments(
      [tracked(alert('a', c('checkout'), { start: 5 }))],
      [deployment('d1', c('cart'), 0)],
      graph,
      options,
    );
    expect(links[0].hops).toBe(1);
    expect(links[0].finding.summary).toContain('which depends on cart');
    expect(links[0].finding.confidence).toBeLessThan(0.5);
  });

  it('ignores deployments after the onset, outside the window or unrelated', () => {
    const alerts = [tracked(alert('a', c('cart'), { start: 5 }))];
    expect(
      linkDeployments(
        alerts,
        [deployment('late', c('cart'), 6)],
        graph,
        options,
      ),
    ).toEqual([]);
    expect(
      linkDeployments(
        alerts,
        [deployment('old', c('cart'), -56)],
        graph,
        options,
      ),
    ).toEqual([]);
    expect(
      linkDeployments(alerts, [deployment('ad', c('ad'), 0)], graph, options),
    ).toEqual([]);
    expect(
      linkDeployments(
        alerts,
        [deployment('up', c('checkout'), 0)],
        graph,
        options,
      ),
    ).toEqual([]);
    expect(
      linkDeployments(
        alerts,
        [deployment('db', r('redis'), 0)],
        graph,
        options,
      ),
    ).toHaveLength(1);
  });
});
