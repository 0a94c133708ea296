const HOUR_MS = 60 * 60 * 1000;

/**
 * Tokens spent in the last hour (a sliding window), against `tokensPerHour`. A call is refused
 * before it is made when what it would send, estimated from its text, does not fit in what is
 * left: the cap holds however many plugins share the service.
 */
export class TokenBudget {
  private readonly spent: Array<{ at: number; tokens: number }> = [];
  private total = 0;

  constructor(
    readonly tokensPerHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  usedLastHour(): number {
    const cutoff = this.now() - HOUR_MS;
    while (this.spent.length && this.spent[0].at <= cutoff) {
      this.total -= this.spent.shift()!.tokens;
    }
    return this.total;
  }

  remaining(): number {
    return Math.max(0, this.tokensPerHour - this.usedLastHour());
  }

  /** Whether a call estimated at `tokens` fits in what is left of the hour. */
  allows(tokens: number): boolean {
    return this.usedLastHour() + tokens <= this.tokensPerHour;
  }

  spend(tokens: number): void {
    if (tokens <= 0) return;
    this.spent.push({ at: this.now(), tokens });
    this.total += tokens;
  }
}

/**
 * Tokens a text will cost, before the provider says: about four characters a token for English
 * and JSON. Only the budget check uses it; records use the provider's counts.
 */
export function estimateTokens(texts: string[]): number {
  return Math.ceil(texts.reduce((sum, text) => sum + text.length, 0) / 4);
}
