export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/**
 * The wait before retry number `attempt` (1 after the first failure): exponential, capped, with
 * jitter over the upper half so replicas and targets that failed together do not retry in step.
 * A server's `Retry-After` is a floor.
 */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  options: { retryAfterMs?: number; random?: () => number } = {},
): number {
  const exponential = Math.min(
    policy.maxMs,
    policy.initialMs * 2 ** Math.max(0, attempt - 1),
  );
  const random = options.random ?? Math.random;
  const jittered = Math.round(exponential * (0.5 + random() / 2));
  return Math.max(jittered, options.retryAfterMs ?? 0);
}
