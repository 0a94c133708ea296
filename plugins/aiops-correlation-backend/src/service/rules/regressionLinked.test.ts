import type { Regression } from '@aiops/plugin-aiops-common';
import { alert, at, c, shopGraph } from '../__testUtils__/builders';
import { correlateAll } from '../correlate';
import { correlationConfig } from '../config';
import { REGRESSION_LINKED_RULE } from './regressionLinked';

const regression = (
  id: string,
  entity: string,
  changePoint: number,
): Regression => ({
  id,
  entityRef: c(entity),
  metric: 'http.server.duration.p99',
  direction: 'increase',
  detectedAt: at(changePoint + 5),
  changePointAt: at(changePoint),
  before: { mean: 120, n: 60 },
  after: { mean: 480, n: 20 },
  relativeChange: 3,
  pValue: 0.001,
  deploymentId: 'deploy-7',
});

const context = {
  graph: shopGraph(),
  config: correlationConfig(),
  silences: [],
};

describe('regression-linked', () => {
  it('adds a regression of an affected entity to its incident, with the deployment', () => {
    const { decisions, state } = correlateAll(
      [
        {
          type: 'alert',
          at: at(10),
          alert: alert('a1', c('cart'), { start: 10 }),
        },
        {
          type: 'regression',
          at: at(12),
          regression: regression('r1', 'cart', 8),
        },
      ],
      context,
    );
    const added = decisions.find(
      d =>
        d.type === 'add-finding' && d.finding.rule === REGRESSION_LINKED_RULE,
    );
    expect(added).toMatchObject({
      key: 'regression:r1',
      finding: {
        summary: expect.stringContaining('rose by 300%'),
        evidence: [
          { kind: 'regression', id: 'r1' },
          { kind: 'deployment', id: 'deploy-7' },
        ],
        confidence: 0.95,
      },
    });
    expect(state.regressions?.map(r => r.id)).toEqual(['r1']);
  });

  it('leaves out regressions of other entities and ones long before the onset', () => {
    const { decisions } = correlateAll(
      [
        {
          type: 'alert',
          at: at(200),
          alert: alert('a1', c('cart'), { start: 200 }),
        },
        {
          type: 'regression',
          at: at(201),
          regression: regression('r-ad', 'ad', 199),
        },
        {
          type: 'regression',
          at: at(202),
          regression: regression('r-old', 'cart', 10),
        },
      ],
      context,
    );
    expect(
      decisions.filter(
        d =>
          d.type === 'add-finding' && d.finding.rule === REGRESSION_LINKED_RULE,
      ),
    ).toEqual([]);
  });
});
