/**
 * Why the LLM service refused a call without asking the model: nothing is configured, the
 * breaker is open after repeated failures, or the hour's token budget is spent. Callers treat it
 * as "not now" and take their deterministic path.
 */
export type LlmUnavailableReason =
  | 'not-configured'
  | 'breaker-open'
  | 'budget-exhausted';

export class LlmUnavailableError extends Error {
  override readonly name = 'LlmUnavailableError';
  constructor(readonly reason: LlmUnavailableReason, message: string) {
    super(message);
  }
}

/** How a call to the model failed, as the per-call record and the retry policy see it. */
export type LlmCallFailure =
  | 'timeout'
  | 'rate-limited'
  | 'server-error'
  | 'client-error'
  | 'network'
  | 'bad-response';

/** The provider was asked and failed (after the retries the policy allows). */
export class LlmCallError extends Error {
  override readonly name = 'LlmCallError';
  readonly failure: LlmCallFailure;
  readonly status?: number;
  /** The wait the provider asked for (`Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number;
  constructor(
    message: string,
    options: {
      failure: LlmCallFailure;
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.failure = options.failure;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** 429, 408, 5xx, timeouts and dropped connections may pass; a 4xx or a bad body will not. */
  get transient(): boolean {
    return (
      this.failure === 'timeout' ||
      this.failure === 'rate-limited' ||
      this.failure === 'server-error' ||
      this.failure === 'network'
    );
  }
}

/**
 * The model answered, but not with what was asked for (JSON that does not parse). The tokens
 * were spent and are recorded; the service itself is up, so this neither retries nor counts
 * towards the breaker.
 */
export class LlmOutputError extends Error {
  override readonly name = 'LlmOutputError';
  constructor(
    message: string,
    /** The model's text, for the caller's audit trail. */
    readonly content: string,
  ) {
    super(message);
  }
}
