import { isError } from '@backstage/errors';
import { truncate } from './text';
import type { SendResult } from './types';

/** A receiver slower than this counts as down: the outbox tries again later. */
const REQUEST_TIMEOUT_MS = 10_000;
const BODY_EXCERPT_LENGTH = 300;

/** Statuses below 500 that say "not now" rather than "never": timeouts and rate limits. */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 425, 429]);

/** What one POST came to: a response of any status with its body, or none at all. */
export type HttpOutcome =
  | { type: 'response'; status: number; headers: Headers; body: string }
  | { type: 'no-response'; error: string };

/**
 * POSTs `json` as it is: callers serialize, so a signature they compute over the text matches
 * the bytes sent. Never throws; a network error or timeout is an outcome like any status.
 */
export async function postJson(
  url: string,
  json: string,
  headers: Record<string, string> = {},
): Promise<HttpOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: json,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return {
      type: 'response',
      status: response.status,
      headers: response.headers,
      body: await response.text(),
    };
  } catch (error) {
    return { type: 'no-response', error: describeFetchError(error) };
  }
}

/**
 * 2xx delivered; 408, 425, 429 and 5xx retried, at the receiver's `Retry-After` when it gives
 * one; any other status failed, since sending the same request again cannot change the answer.
 */
export function sendResultOf(
  outcome: HttpOutcome,
  nowMs: number = Date.now(),
): SendResult {
  if (outcome.type === 'no-response') {
    return { outcome: 'retry', error: outcome.error };
  }
  const { status, headers } = outcome;
  if (status >= 200 && status < 300) return { outcome: 'delivered' };
  const error = describeResponse(outcome);
  if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status)) {
    return {
      outcome: 'retry',
      error,
      retryAfterMs: parseRetryAfter(headers.get('retry-after'), nowMs),
    };
  }
  return { outcome: 'failed', error };
}

/** `Retry-After` in milliseconds from `nowMs`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(
  value: string | null,
  nowMs: number,
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** `HTTP 400: invalid_payload` — the status and the start of what the receiver said. */
export function describeResponse(response: {
  status: number;
  body: string;
}): string {
  const excerpt = truncate(
    response.body.replace(/\s+/g, ' ').trim(),
    BODY_EXCERPT_LENGTH,
  );
  return excerpt
    ? `HTTP ${response.status}: ${excerpt}`
    : `HTTP ${response.status}`;
}

function describeFetchError(error: unknown): string {
  // Shape checks, not `instanceof`: fetch's errors may come from another realm than our `Error`.
  if (!isError(error)) return `network error: ${String(error)}`;
  if (error.name === 'TimeoutError') {
    return `no response within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  // undici reports every network failure as `TypeError: fetch failed`; the cause says which.
  const cause = isError(error.cause) ? `: ${error.cause.message}` : '';
  return withoutUrls(`network error: ${error.message}${cause}`);
}

/**
 * Errors are stored, shown on timelines and logged, but a webhook URL can itself be the secret
 * (Slack's), and fetch quotes URLs in some messages.
 */
function withoutUrls(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');
}
