import { riskInput } from '../__testUtils__/input';
import { blastRadius, dependentWeight } from './blastRadius';

describe('blast-radius@1', () => {
  it('is 0 with no dependents', () => {
    const m = blastRadius.measure(riskInput());
    expect(m.value).toBe(0);
    expect(m.explanation).toBe(
      'Nothing in the catalog depends on this entity.',
    );
  });

  it('weights dependents by tier and lifecycle and discounts them by depth', () => {
    expect(
      dependentWeight({
        entityRef: 'a',
        depth: 1,
        tier: 'Tier-1',
        lifecycle: 'production',
      }),
    ).toBe(3);
    expect(
      dependentWeight({
        entityRef: 'b',
        depth: 2,
        tier: 'tier-3',
        lifecycle: 'experimental',
      }),
    ).toBeCloseTo(0.15);
    expect(dependentWeight({ entityRef: 'c', depth: 1 })).toBe(1);
  });

  it('counts an entity reached by two paths once, at its shortest depth', () => {
    const m = blastRadius.measure(
      riskInput({
        dependents: [
          { entityRef: 'component:default/web', depth: 2, tier: 'tier-1' },
          { entityRef: 'component:default/web', depth: 1, tier: 'tier-1' },
          { entityRef: 'component:default/batch', depth: 1 },
        ],
      }),
    );
    expect(m.value).toBeCloseTo(Math.log1p(3 + 1), 3);
    expect(m.explanation).toBe(
      '2 entities depend on it (2 directly), 1 of them top-tier.',
    );
  });

  it('grows with the number of dependents, but only logarithmically', () => {
    const many = (n: number) =>
      blastRadius.measure(
        riskInput({
          dependents: Array.from({ length: n }, (_, i) => ({
            entityRef: `component:default/s${i}`,
            depth: 1,
          })),
        }),
      ).value;
    expect(many(10)).toBeGreaterThan(many(2));
    expect(many(100)).toBeLessThan(5);
  });
});
