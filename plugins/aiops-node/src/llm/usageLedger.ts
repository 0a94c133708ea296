import type { LlmPrices } from './settings';
import type { LlmCallRecord, LlmUsageTotals } from './status';

/** Records kept for `status().recent`; totals cover every call of the day regardless. */
const RECENT_RECORDS = 50;

/** The cost of a call from the configured prices per million tokens. */
export function callCost(
  prices: LlmPrices,
  kind: 'chat' | 'embed',
  tokensIn: number,
  tokensOut: number,
): number {
  const inputPrice =
    kind === 'embed'
      ? prices.embeddingPerMillionTokens
      : prices.inputPerMillionTokens;
  return (
    (tokensIn * inputPrice + tokensOut * prices.outputPerMillionTokens) /
    1_000_000
  );
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The per-call records, in memory: the latest calls and running totals for the current UTC day
 * (reset at midnight). This instance's view; every replica keeps its own.
 */
export class UsageLedger {
  private readonly recentRecords: LlmCallRecord[] = [];
  private totals: LlmUsageTotals;

  constructor(
    private readonly currency: string,
    private readonly now: () => number = Date.now,
  ) {
    this.totals = this.emptyTotals();
  }

  add(record: LlmCallRecord): void {
    const totals = this.today();
    totals.calls += 1;
    if (record.outcome === 'cache-hit') totals.cacheHits += 1;
    else if (record.outcome !== 'ok') totals.failures += 1;
    totals.tokensIn += record.tokensIn;
    totals.tokensOut += record.tokensOut;
    totals.cost += record.cost;
    this.recentRecords.unshift(record);
    if (this.recentRecords.length > RECENT_RECORDS) this.recentRecords.pop();
  }

  today(): LlmUsageTotals {
    if (this.totals.day !== utcDay(this.now()))
      this.totals = this.emptyTotals();
    return this.totals;
  }

  recent(): LlmCallRecord[] {
    return [...this.recentRecords];
  }

  private emptyTotals(): LlmUsageTotals {
    return {
      day: utcDay(this.now()),
      calls: 0,
      cacheHits: 0,
      failures: 0,
      tokensIn: 0,
      tokensOut: 0,
      cost: 0,
      currency: this.currency,
    };
  }
}
