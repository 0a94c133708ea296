import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type IPolicy,
  type IRetryBackoffContext,
  TaskCancelledError,
} from 'cockatiel';
import { LlmCallError } from './errors';
import type { LlmSettings } from './settings';

/** The wait a `Retry-After` header asks for: delta-seconds or an HTTP date; undefined if neither. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date names its weekday or month; Date.parse alone would take '-3' for a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function retryAfterOf(context: IRetryBackoffContext<unknown>) {
  return 'error' in context.result &&
    context.result.error instanceof LlmCallError
    ? context.result.error.retryAfterMs
    : undefined;
}

/**
 * Exponential backoff with decorrelated jitter (cockatiel's default generator), except that when
 * the provider said how long to wait (`Retry-After` on a 429 or 503) that wait is used: waking
 * earlier only earns another 429.
 */
export class RetryAfterBackoff
  implements IBackoffFactory<IRetryBackoffContext<unknown>>
{
  constructor(private readonly exponential: IBackoffFactory<unknown>) {}

  next(
    context: IRetryBackoffContext<unknown>,
  ): IBackoff<IRetryBackoffContext<unknown>> {
    const step = this.exponential.next(context);
    const asked = retryAfterOf(context);
    return {
      duration: asked ?? step.duration,
      next: nextContext => new RetryAfterBackoff(step).next(nextContext),
    };
  }
}

/** What a call runs under: per-attempt timeout inside the breaker, inside bounded retries. */
export interface CallPolicies {
  breaker: CircuitBreakerPolicy;
  chat: IPolicy;
  embed: IPolicy;
}

/**
 * Builds the policies one provider's calls share. The order is retry(breaker(timeout(call))):
 * each attempt has its own timeout; the breaker counts every failed attempt (a provider that
 * times out three times in one call is as down as one that fails three calls) and, once open,
 * fails attempts at once with `BrokenCircuitError`, which is not retried; retries only follow
 * transient failures, and never a `Retry-After` longer than `retryMaxDelayMs`.
 */
export function createCallPolicies(settings: LlmSettings): CallPolicies {
  const isTransient = (error: Error) =>
    isAttemptTimeout(error) ||
    (error instanceof LlmCallError &&
      error.transient &&
      (error.retryAfterMs ?? 0) <= settings.retryMaxDelayMs);
  const retryPolicy = retry(handleWhen(isTransient), {
    maxAttempts: settings.maxRetries,
    backoff: new RetryAfterBackoff(
      new ExponentialBackoff({
        initialDelay: settings.retryInitialDelayMs,
        maxDelay: settings.retryMaxDelayMs,
      }),
    ),
  });
  const breaker = circuitBreaker(
    handleWhen(
      error => error instanceof LlmCallError || isAttemptTimeout(error),
    ),
    {
      halfOpenAfter: settings.breaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(settings.breaker.consecutiveFailures),
    },
  );
  const attempt = (timeoutMs: number) =>
    wrap(
      retryPolicy,
      breaker,
      // Aggressive: the attempt is abandoned at the deadline (and its request aborted through the
      // signal) rather than waited for.
      timeout(timeoutMs, TimeoutStrategy.Aggressive),
    );
  return {
    breaker,
    chat: attempt(settings.chatTimeoutMs),
    embed: attempt(settings.embeddingTimeoutMs),
  };
}

/** The timeout policy's error: the attempt ran past its deadline (nothing else cancels calls). */
export function isAttemptTimeout(error: unknown): boolean {
  return error instanceof TaskCancelledError;
}

export function breakerStateName(
  state: CircuitState,
): 'closed' | 'open' | 'half-open' | 'isolated' {
  switch (state) {
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Isolated:
      return 'isolated';
    default:
      return 'closed';
  }
}
