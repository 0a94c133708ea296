import { TokenBudget, estimateTokens } from './tokenBudget';

describe('TokenBudget', () => {
  it('counts the tokens of the last hour, sliding', () => {
    let now = 0;
    const budget = new TokenBudget(1000, () => now);
    budget.spend(600);
    now = 30 * 60_000;
    budget.spend(300);
    expect(budget.usedLastHour()).toBe(900);
    expect(budget.allows(100)).toBe(true);
    expect(budget.allows(101)).toBe(false);

    // An hour after the first spend, its 600 tokens are no longer counted.
    now = 60 * 60_000;
    expect(budget.usedLastHour()).toBe(300);
    expect(budget.remaining()).toBe(700);
  });

  it('estimates four characters a token', () => {
    expect(estimateTokens(['abcd', 'efghi'])).toBe(3);
    expect(estimateTokens([])).toBe(0);
  });
});
