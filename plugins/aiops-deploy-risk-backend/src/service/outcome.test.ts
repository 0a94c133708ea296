import { decideOutcome, outcomeWindowEnd } from './outcome';

const H = 3_600_000;
const T0 = Date.parse('2026-12-01T10:00:00Z');
const at = (hours: number) => new Date(T0 + hours * H).toISOString();

describe('decideOutcome', () => {
  const base = { startedAt: at(0), incidents: [], regressions: [] };

  it('waits while the window is open', () => {
    expect(decideOutcome(base, 24 * H, T0 + 23 * H)).toBeUndefined();
  });

  it('succeeds when nothing happened in the window', () => {
    expect(decideOutcome(base, 24 * H, T0 + 24 * H)).toEqual({
      outcome: 'succeeded',
      at: at(24),
      reason:
        'No incident on the entity or a direct dependent and no regression within 24 h.',
    });
  });

  it('fails on an incident or a regression inside the window, not before or after it', () => {
    const incident = (id: string, hours: number) => ({
      id,
      entityRef: 'component:default/checkout',
      openedAt: at(hours),
    });
    const outside = {
      ...base,
      incidents: [incident('before', -1), incident('after', 24)],
      regressions: [{ id: 'r', metric: 'latency_p95', changeAt: at(30) }],
    };
    expect(decideOutcome(outside, 24 * H, T0 + 48 * H)?.outcome).toBe(
      'succeeded',
    );
    expect(
      decideOutcome(
        { ...outside, incidents: [incident('i-1', 2)] },
        24 * H,
        T0 + 48 * H,
      ),
    ).toMatchObject({
      outcome: 'failed',
      reason:
        '1 incident opened on component:default/checkout (i-1) within 24 h.',
    });
    expect(
      decideOutcome(
        {
          ...base,
          regressions: [{ id: 'r', metric: 'error_rate', changeAt: at(1) }],
        },
        24 * H,
        T0 + 48 * H,
      )?.reason,
    ).toBe('a regression began on error_rate within 24 h.');
  });

  it('closes the window at the next deploy: what follows is that deploy’s outcome', () => {
    const evidence = {
      ...base,
      nextDeployAt: at(3),
      incidents: [
        { id: 'later', entityRef: 'component:default/cart', openedAt: at(4) },
      ],
    };
    expect(outcomeWindowEnd(evidence, 24 * H)).toBe(T0 + 3 * H);
    expect(decideOutcome(evidence, 24 * H, T0 + 3 * H)).toMatchObject({
      outcome: 'succeeded',
      at: at(3),
      reason: expect.stringContaining('before the next deploy'),
    });
  });
});
