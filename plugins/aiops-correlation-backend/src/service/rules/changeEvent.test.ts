import type { Deployment } from '@aiops/plugin-aiops-common';
import {
  MIN,
  alert,
  at,
  c,
  deployment,
  shopGraph,
  tracked,
} from '../__testUtils__/builders';
import { linkDeployments } from './deployLinked';

const graph = shopGraph();
const options = { windowMs: 60 * MIN, maxHops: 3 };

/** A PagerDuty change event as ingest stores it: a finished change told by its summary. */
function pagerDutyChange(
  id: string,
  entityRef: string,
  startMin: number,
  summary: string,
): Deployment {
  return {
    ...deployment(id, entityRef, startMin, summary),
    source: 'pagerduty-change',
    externalId: `pagerduty-change:${id}`,
    finishedAt: at(startMin),
    summary,
  };
}

describe('deploy-linked with PagerDuty change events', () => {
  it('links a change on an affected entity before the onset as what changed, in its own words', () => {
    const links = linkDeployments(
      [tracked(alert('a', c('cart'), { start: 4 }))],
      [
        pagerDutyChange(
          'chg1',
          c('cart'),
          0,
          '[PR Merged - acme/cart] Raise Redis pool timeout',
        ),
      ],
      graph,
      options,
    );
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      entityRef: c('cart'),
      alertId: 'a',
      leadMs: 4 * MIN,
      hops: 0,
    });
    expect(links[0].finding).toEqual({
      rule: 'deploy-linked@1',
      summary:
        'cart changed ("[PR Merged - acme/cart] Raise Redis pool timeout") at ' +
        '2026-01-01T10:00:00.000Z (change chg1), 4 min before the first alert on cart',
      evidence: [
        { kind: 'deployment', id: 'chg1' },
        { kind: 'alert', id: 'a' },
      ],
      confidence: expect.any(Number),
    });
  });

  it('does not link a change after the onset, or one on an unrelated entity', () => {
    const alerts = [tracked(alert('a', c('cart'), { start: 4 }))];
    expect(
      linkDeployments(
        alerts,
        [pagerDutyChange('late', c('cart'), 5, 'Build Success: cart')],
        graph,
        options,
      ),
    ).toEqual([]);
    expect(
      linkDeployments(
        alerts,
        [pagerDutyChange('ad', c('ad'), 0, 'Build Success: ad')],
        graph,
        options,
      ),
    ).toEqual([]);
  });
});
