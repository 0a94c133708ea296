export * from './errors';
export type {
  LlmCallOutcome,
  LlmCallRecord,
  LlmStatus,
  LlmUsageTotals,
} from './status';
export { estimateTokens } from './tokenBudget';
