import type { Finding } from '@aiops/plugin-aiops-common';
import { findingIsNews, rankingOrderChanged } from './timelineNews';

const finding = (overrides: Partial<Finding> = {}): Finding => ({
  rule: 'topology-root-cause@3',
  summary: 'cart is the most likely root cause (score 0.62): upstream-most',
  evidence: [
    { kind: 'alert', id: 'a1' },
    { kind: 'entity', id: 'component:default/cart' },
  ],
  confidence: 0.7,
  ...overrides,
});

describe('findingIsNews', () => {
  it('is news when the finding is new, its rule, words or non-alert evidence change', () => {
    expect(findingIsNews(undefined, finding())).toBe(true);
    expect(findingIsNews(finding(), finding({ rule: 'other@1' }))).toBe(true);
    expect(
      findingIsNews(
        finding(),
        finding({
          summary: 'cart is the most likely root cause (score 0.62): deployed',
        }),
      ),
    ).toBe(true);
    expect(
      findingIsNews(
        finding(),
        finding({
          evidence: [{ kind: 'deployment', id: 'd1' }, ...finding().evidence],
        }),
      ),
    ).toBe(true);
  });

  it('is not news when only numbers, confidence, alert evidence or evidence order change', () => {
    expect(
      findingIsNews(
        finding(),
        finding({
          summary:
            'cart is the most likely root cause (score 0.7): upstream-most',
          confidence: 0.9,
          evidence: [
            { kind: 'entity', id: 'component:default/cart' },
            { kind: 'alert', id: 'a1' },
            { kind: 'alert', id: 'a2' },
          ],
        }),
      ),
    ).toBe(false);
  });
});

describe('rankingOrderChanged', () => {
  const candidate = (entityRef: string, score: number) => ({
    entityRef,
    score,
    reasons: [],
    evidence: [],
  });

  it('compares the order of entity refs, not the scores', () => {
    const before = [candidate('a', 0.5), candidate('b', 0.4)];
    expect(
      rankingOrderChanged(before, [candidate('a', 0.9), candidate('b', 0.1)]),
    ).toBe(false);
    expect(
      rankingOrderChanged(before, [candidate('b', 0.5), candidate('a', 0.4)]),
    ).toBe(true);
    expect(rankingOrderChanged(before, [candidate('a', 0.5)])).toBe(true);
    expect(rankingOrderChanged(undefined, [])).toBe(true);
  });
});
