import { STRUCTURAL_WEIGHTS, structuralMatch } from './structuralMatch';

const cart = {
  entityRefs: ['component:default/cart', 'resource:default/redis-cart'],
  rootCauseEntityRef: 'resource:default/redis-cart',
  alertNames: ['HighLatency', 'RedisDown'],
  system: 'system:default/online-boutique',
};

describe('structuralMatch', () => {
  it('scores the same structure 1 and names what is shared', () => {
    const match = structuralMatch(cart, cart);
    expect(match).toMatchObject({
      sharedEntities: cart.entityRefs,
      sharedAlertNames: cart.alertNames,
      sameRootCause: true,
      sameSystem: true,
    });
    expect(match.score).toBeCloseTo(1, 10);
  });

  it('weighs partial overlaps: one entity of three, one alert name of two, no root cause', () => {
    const match = structuralMatch(cart, {
      entityRefs: ['component:default/cart', 'component:default/checkout'],
      rootCauseEntityRef: 'component:default/checkout',
      alertNames: ['HighLatency'],
      system: 'system:default/online-boutique',
    });
    expect(match.sharedEntities).toEqual(['component:default/cart']);
    expect(match.sharedAlertNames).toEqual(['HighLatency']);
    expect(match.sameRootCause).toBe(false);
    expect(match.score).toBeCloseTo(
      STRUCTURAL_WEIGHTS.entities / 3 +
        STRUCTURAL_WEIGHTS.alertNames / 2 +
        STRUCTURAL_WEIGHTS.system,
      10,
    );
  });

  it('scores nothing in common 0, and an absent root cause or system never matches', () => {
    const empty = { entityRefs: [], alertNames: [] };
    expect(structuralMatch(empty, empty).score).toBe(0);
    expect(structuralMatch(empty, empty).sameRootCause).toBe(false);
    expect(
      structuralMatch(cart, {
        entityRefs: ['component:default/ledger-writer'],
        alertNames: ['DiskFull'],
      }).score,
    ).toBe(0);
  });
});
