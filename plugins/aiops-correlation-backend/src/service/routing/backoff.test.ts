import { retryDelayMs } from './backoff';

const policy = { initialMs: 10_000, maxMs: 300_000 };

describe('retryDelayMs', () => {
  it('doubles per attempt within the upper half of each step, up to the cap', () => {
    const low = () => 0;
    const high = () => 1;
    expect(retryDelayMs(1, policy, { random: low })).toBe(5_000);
    expect(retryDelayMs(1, policy, { random: high })).toBe(10_000);
    expect(retryDelayMs(3, policy, { random: high })).toBe(40_000);
    expect(retryDelayMs(10, policy, { random: high })).toBe(300_000);
  });

  it("never retries sooner than the receiver's Retry-After", () => {
    expect(
      retryDelayMs(1, policy, { random: () => 0, retryAfterMs: 60_000 }),
    ).toBe(60_000);
  });
});
