import { correlationKey, incidentIdFor } from './correlationKey';
import { T0 } from './__testUtils__/builders';

describe('correlationKey', () => {
  it('is the rule, the anchor and the onset, and gives a stable id', () => {
    const key = correlationKey(
      'group-key@1',
      'entity="component:default/cart"',
      T0,
    );
    expect(key).toBe(
      'group-key@1|entity="component:default/cart"|2026-01-01T10:00:00.000Z',
    );
    expect(incidentIdFor(key)).toBe(incidentIdFor(key));
    expect(incidentIdFor(key)).toMatch(/^inc-[0-9a-f]{16}$/);
    expect(incidentIdFor(`${key}x`)).not.toBe(incidentIdFor(key));
  });
});
