import type { LoggerService } from '@backstage/backend-plugin-api';
import { BrokenCircuitError, CircuitState } from 'cockatiel';
import type {
  LlmChatRequest,
  LlmChatResult,
  LlmService,
} from '../extensions/llm';
import {
  breakerStateName,
  createCallPolicies,
  isAttemptTimeout,
  type CallPolicies,
} from './callPolicy';
import {
  LlmCallError,
  LlmOutputError,
  LlmUnavailableError,
  type LlmUnavailableReason,
} from './errors';
import type { LlmProviderClient } from './mistralProvider';
import { ResponseCache, inputHash } from './responseCache';
import type { LlmSettings } from './settings';
import type { LlmCallOutcome, LlmCallRecord, LlmStatus } from './status';
import { TokenBudget, estimateTokens } from './tokenBudget';
import { UsageLedger, callCost } from './usageLedger';

/** Who asks, for the records, and where each record goes besides the ledger (metrics). */
export interface LlmCaller {
  plugin?: string;
  onRecord?(record: LlmCallRecord): void;
}

type ChatAnswer = Omit<LlmChatResult, 'cached'>;

/**
 * A provider behind the guards every call goes through, in this order: the cache (a hit costs
 * nothing), the breaker (open: refused at once), the hour's token budget (refused before the
 * call), then the call under timeout and retries; each call leaves a record. One instance per
 * backend, shared by the plugins through `forPlugin`, so budget, breaker and cache are common.
 */
export class GuardedLlm {
  private readonly policies: CallPolicies;
  private readonly budget: TokenBudget;
  private readonly chatCache: ResponseCache<ChatAnswer>;
  private readonly embeddingCache: ResponseCache<number[]>;
  private readonly ledger: UsageLedger;
  private readonly now: () => number;

  constructor(
    private readonly client: LlmProviderClient,
    private readonly settings: LlmSettings,
    options: { logger?: LoggerService; now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.policies = createCallPolicies(settings);
    this.budget = new TokenBudget(settings.tokenBudgetPerHour, this.now);
    const { maxEntries, ttlMs } = settings.cache;
    this.chatCache = new ResponseCache(maxEntries, ttlMs, this.now);
    this.embeddingCache = new ResponseCache(maxEntries, ttlMs, this.now);
    this.ledger = new UsageLedger(settings.prices.currency, this.now);
    const { logger } = options;
    this.policies.breaker.onBreak(() =>
      logger?.warn(
        `LLM provider ${client.name}: circuit breaker open after ${settings.breaker.consecutiveFailures} failed attempts; calls refused for ${settings.breaker.halfOpenAfterMs} ms`,
      ),
    );
    this.policies.breaker.onReset(() =>
      logger?.info(`LLM provider ${client.name}: circuit breaker closed`),
    );
  }

  unavailableReason(): LlmUnavailableReason | undefined {
    const state = this.policies.breaker.state;
    if (state === CircuitState.Open || state === CircuitState.Isolated) {
      return 'breaker-open';
    }
    if (this.budget.remaining() <= 0) return 'budget-exhausted';
    return undefined;
  }

  available(): boolean {
    return this.unavailableReason() === undefined;
  }

  status(): LlmStatus {
    const usedLastHour = this.budget.usedLastHour();
    const reason = this.unavailableReason();
    return {
      provider: this.client.name,
      available: !reason,
      ...(reason ? { unavailableReason: reason } : {}),
      models: {
        chat: this.client.chatModel,
        embedding: this.client.embeddingModel,
      },
      breaker: breakerStateName(this.policies.breaker.state),
      budget: {
        tokensPerHour: this.budget.tokensPerHour,
        usedLastHour,
        remaining: Math.max(0, this.budget.tokensPerHour - usedLastHour),
      },
      today: { ...this.ledger.today() },
      recent: this.ledger.recent().slice(0, 20),
    };
  }

  /** The service as one plugin sees it: the same guards, its calls recorded under its id. */
  forPlugin(caller: LlmCaller): LlmService {
    return {
      available: () => this.available(),
      chat: request => this.chat(request, caller),
      embed: (texts, purpose) => this.embed(texts, purpose, caller),
      status: () => this.status(),
    };
  }

  async chat(
    request: LlmChatRequest,
    caller: LlmCaller = {},
  ): Promise<LlmChatResult> {
    const wantsJson = Boolean(request.responseFormat ?? request.json);
    const key = inputHash({
      kind: 'chat',
      model: this.client.chatModel,
      messages: request.messages,
      json: wantsJson,
      responseFormat: request.responseFormat,
      maxTokens: request.maxTokens,
    });
    const record = this.recorder(
      caller,
      request.purpose,
      'chat',
      this.client.chatModel,
    );
    const hit = this.chatCache.get(key);
    if (hit) {
      record('cache-hit', { attempts: 0 });
      return { ...hit, cached: true };
    }
    this.refuseIfUnavailable(
      estimateTokens(request.messages.map(m => m.content)) +
        (request.maxTokens ?? 0),
      record,
    );
    let attempts = 0;
    const answer = await this.policies.chat
      .execute(({ signal }) => {
        attempts += 1;
        return this.client.chat(request, signal);
      })
      .catch(error => {
        throw this.failed(error, attempts, record);
      });
    const { promptTokens, completionTokens } = answer.usage;
    this.budget.spend(promptTokens + completionTokens);
    const spent = {
      attempts,
      model: answer.model,
      tokensIn: promptTokens,
      tokensOut: completionTokens,
    };
    let json: unknown;
    if (wantsJson) {
      try {
        json = JSON.parse(answer.content);
      } catch (error) {
        record('malformed-output', spent);
        throw new LlmOutputError(
          `The model's answer is not JSON: ${(error as Error).message}`,
          answer.content,
        );
      }
    }
    record('ok', spent);
    const result: ChatAnswer = wantsJson ? { ...answer, json } : answer;
    this.chatCache.set(key, result);
    return result;
  }

  async embed(
    texts: string[],
    purpose: string,
    caller: LlmCaller = {},
  ): Promise<number[][]> {
    const model = this.client.embeddingModel;
    const keys = texts.map(text => inputHash({ kind: 'embed', model, text }));
    const vectors = keys.map(key => this.embeddingCache.get(key));
    const missing = texts.filter((_, i) => !vectors[i]);
    const record = this.recorder(caller, purpose, 'embed', model);
    if (missing.length === 0) {
      record('cache-hit', { attempts: 0 });
      return vectors as number[][];
    }
    this.refuseIfUnavailable(estimateTokens(missing), record);
    let attempts = 0;
    const answer = await this.policies.embed
      .execute(({ signal }) => {
        attempts += 1;
        return this.client.embed(missing, signal);
      })
      .catch(error => {
        throw this.failed(error, attempts, record);
      });
    this.budget.spend(answer.promptTokens);
    record('ok', {
      attempts,
      model: answer.model,
      tokensIn: answer.promptTokens,
    });
    let next = 0;
    return vectors.map((cached, i) => {
      if (cached) return cached;
      const vector = answer.vectors[next++];
      this.embeddingCache.set(keys[i], vector);
      return vector;
    });
  }

  /** Throws, with a record, when the breaker is open or the call would overrun the budget. */
  private refuseIfUnavailable(
    estimatedTokens: number,
    record: ReturnType<GuardedLlm['recorder']>,
  ): void {
    const state = this.policies.breaker.state;
    if (state === CircuitState.Open || state === CircuitState.Isolated) {
      record('breaker-open', { attempts: 0 });
      throw new LlmUnavailableError(
        'breaker-open',
        `The LLM provider ${this.client.name} failed repeatedly; calls are paused (circuit breaker open)`,
      );
    }
    if (!this.budget.allows(estimatedTokens)) {
      record('budget-exhausted', { attempts: 0 });
      throw new LlmUnavailableError(
        'budget-exhausted',
        `The hour's token budget (aiops.llm.tokenBudgetPerHour = ${
          this.budget.tokensPerHour
        }) has ${this.budget.remaining()} tokens left, fewer than the call's estimated ${estimatedTokens}`,
      );
    }
  }

  /** The error a failed call ends with, typed for the caller, and its record. */
  private failed(
    error: unknown,
    attempts: number,
    record: ReturnType<GuardedLlm['recorder']>,
  ): Error {
    if (error instanceof BrokenCircuitError) {
      record('breaker-open', { attempts });
      return new LlmUnavailableError(
        'breaker-open',
        `The LLM provider ${this.client.name} failed repeatedly; calls are paused (circuit breaker open)`,
      );
    }
    const callError = isAttemptTimeout(error)
      ? new LlmCallError(
          `The LLM provider ${this.client.name} did not answer in time`,
          { failure: 'timeout', cause: error },
        )
      : error;
    if (callError instanceof LlmCallError) {
      record(callError.failure, { attempts });
      return callError;
    }
    record('bad-response', { attempts });
    return error instanceof Error ? error : new Error(String(error));
  }

  private recorder(
    caller: LlmCaller,
    purpose: string,
    kind: 'chat' | 'embed',
    model: string,
  ) {
    const startedAt = this.now();
    return (
      outcome: LlmCallOutcome,
      spent: {
        attempts: number;
        model?: string;
        tokensIn?: number;
        tokensOut?: number;
      },
    ) => {
      const tokensIn = spent.tokensIn ?? 0;
      const tokensOut = spent.tokensOut ?? 0;
      const record: LlmCallRecord = {
        at: new Date(startedAt).toISOString(),
        ...(caller.plugin ? { plugin: caller.plugin } : {}),
        purpose,
        kind,
        model: spent.model ?? model,
        outcome,
        tokensIn,
        tokensOut,
        cost: callCost(this.settings.prices, kind, tokensIn, tokensOut),
        latencyMs: this.now() - startedAt,
        attempts: spent.attempts,
      };
      this.ledger.add(record);
      caller.onRecord?.(record);
    };
  }
}
