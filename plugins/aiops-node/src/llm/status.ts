import type { LlmCallFailure, LlmUnavailableReason } from './errors';

/** How one call ended, in the per-call record and the metrics. */
export type LlmCallOutcome =
  | 'ok'
  | 'cache-hit'
  | 'malformed-output'
  | LlmCallFailure
  | LlmUnavailableReason;

/** One call to the service: what it cost and how it went. */
export interface LlmCallRecord {
  /** ISO 8601 time the call began. */
  at: string;
  /** The plugin that asked, when the service knows it. */
  plugin?: string;
  purpose: string;
  kind: 'chat' | 'embed';
  model: string;
  outcome: LlmCallOutcome;
  tokensIn: number;
  tokensOut: number;
  /** From the configured prices, in `currency`. */
  cost: number;
  latencyMs: number;
  /** HTTP attempts made (0 for a cache hit or a refusal). */
  attempts: number;
}

/** Running totals since midnight UTC. */
export interface LlmUsageTotals {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  calls: number;
  cacheHits: number;
  failures: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  currency: string;
}

/** What `LlmService.status()` reports (the narrator's `GET /status`). */
export interface LlmStatus {
  provider: string;
  available: boolean;
  /** Why not, when `available` is false. */
  unavailableReason?: LlmUnavailableReason;
  models?: { chat: string; embedding: string };
  /** The circuit breaker's state; `none` for providers without one. */
  breaker: 'closed' | 'open' | 'half-open' | 'isolated' | 'none';
  budget?: { tokensPerHour: number; usedLastHour: number; remaining: number };
  today?: LlmUsageTotals;
  /** The latest calls, newest first. */
  recent?: LlmCallRecord[];
}
