import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isError } from '@backstage/errors';
import {
  isPrivateAddress,
  PRIVATE_TARGET,
  PrivateTargetError,
  publicOnlyLookup,
} from './privateTargets';
import { truncate } from './text';
import type { SendResult } from './types';

/** A receiver slower than this counts as down: the outbox tries again later. */
const REQUEST_TIMEOUT_MS = 10_000;
const BODY_EXCERPT_LENGTH = 300;

/** Statuses below 500 that say "not now" rather than "never": timeouts and rate limits. */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 425, 429]);

// Sockets that only ever connect to public addresses; kept apart from Node's global agents so
// no connection opened elsewhere without the check is reused for a notification.
const PUBLIC_ONLY_AGENTS = {
  'http:': new http.Agent({ keepAlive: true, lookup: publicOnlyLookup }),
  'https:': new https.Agent({ keepAlive: true, lookup: publicOnlyLookup }),
};

class RequestTimeoutError extends Error {
  readonly name = 'TimeoutError';
}

export interface PostOptions {
  headers?: Record<string, string>;
  /** `aiops.routing.allowPrivateTargets`: loopback, private and link-local addresses may be sent to. */
  allowPrivateTargets: boolean;
  /**
   * Read at most this many bytes of the answer, for APIs whose answers say what went wrong or
   * carry a result. Without it the answer's body is never read: a generic receiver's reply is
   * not ours to store.
   */
  readBodyBytes?: number;
  /** Default 10 seconds. */
  timeoutMs?: number;
}

/** What one POST came to: a response of any status (with at most `readBodyBytes` of its body), or none at all. */
export type HttpOutcome =
  | {
      type: 'response';
      status: number;
      retryAfter?: string;
      /** Empty unless `readBodyBytes` was given; never the body of a redirect. */
      body: string;
    }
  | { type: 'no-response'; error: string; refused?: true };

/**
 * POSTs `json` as it is: callers serialize, so a signature they compute over the text matches
 * the bytes sent. Redirects are answers, not followed: a receiver cannot send the message (and
 * its signature or token) on to another address. Never throws; a network error, a timeout or a
 * refused private target is an outcome like any status.
 */
export async function postJson(
  url: string,
  json: string,
  options: PostOptions,
): Promise<HttpOutcome> {
  const target = URL.canParse(url) ? new URL(url) : undefined;
  if (target?.protocol !== 'http:' && target?.protocol !== 'https:') {
    return { type: 'no-response', error: 'not an http(s) URL', refused: true };
  }
  // Sockets skip `lookup` for address literals, so those are checked here.
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!options.allowPrivateTargets && isIP(host) && isPrivateAddress(host)) {
    return {
      type: 'no-response',
      error: new PrivateTargetError(host, host).message,
      refused: true,
    };
  }
  try {
    return await send(target, json, options);
  } catch (error) {
    if (isError(error) && error.code === PRIVATE_TARGET) {
      return { type: 'no-response', error: error.message, refused: true };
    }
    return {
      type: 'no-response',
      error: describeNetworkError(error, options.timeoutMs),
    };
  }
}

function send(
  target: URL,
  json: string,
  options: PostOptions,
): Promise<HttpOutcome> {
  const { timeoutMs = REQUEST_TIMEOUT_MS, readBodyBytes = 0 } = options;
  const body = Buffer.from(json, 'utf8');
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...options.headers,
        'content-length': String(body.length),
      },
      agent: options.allowPrivateTargets
        ? undefined
        : PUBLIC_ONLY_AGENTS[target.protocol as 'http:' | 'https:'],
    });
    // One deadline for connecting, sending and reading, unlike a socket's idle timeout.
    const timer = setTimeout(
      () => request.destroy(new RequestTimeoutError()),
      timeoutMs,
    );
    const settle =
      <T>(done: (value: T) => void) =>
      (value: T) => {
        clearTimeout(timer);
        done(value);
      };
    request.on('error', settle(reject));
    request.on('response', response => {
      const status = response.statusCode ?? 0;
      const retryAfter = header(response, 'retry-after');
      const read = status >= 300 && status < 400 ? 0 : readBodyBytes;
      readAtMost(response, read).then(text => {
        settle(resolve)({ type: 'response', status, retryAfter, body: text });
      }, settle(reject));
    });
    request.end(body);
  });
}

/** Up to `limit` bytes of the body as text; the rest is never read, the connection is closed. */
function readAtMost(response: IncomingMessage, limit: number): Promise<string> {
  if (limit <= 0) {
    response.destroy();
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = () => resolve(Buffer.concat(chunks).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      const kept = chunk.subarray(0, limit - length);
      chunks.push(kept);
      length += kept.length;
      if (length >= limit) {
        response.destroy();
        finish();
      }
    });
    response.on('end', finish);
    response.on('error', reject);
  });
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * 2xx delivered; 408, 425, 429 and 5xx retried, at the receiver's `Retry-After` when it gives
 * one; a refused private target, a redirect and any other status failed, since sending the
 * same request again cannot change the answer.
 */
export function sendResultOf(
  outcome: HttpOutcome,
  nowMs: number = Date.now(),
): SendResult {
  if (outcome.type === 'no-response') {
    return outcome.refused
      ? { outcome: 'failed', error: outcome.error }
      : { outcome: 'retry', error: outcome.error };
  }
  const { status } = outcome;
  if (status >= 200 && status < 300) return { outcome: 'delivered' };
  if (status >= 300 && status < 400) {
    return {
      outcome: 'failed',
      error: `HTTP ${status}: redirects are not followed`,
    };
  }
  const error = describeResponse(outcome);
  if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status)) {
    return {
      outcome: 'retry',
      error,
      retryAfterMs: parseRetryAfter(outcome.retryAfter, nowMs),
    };
  }
  return { outcome: 'failed', error };
}

/** `Retry-After` in milliseconds from `nowMs`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** `HTTP 400: invalid_payload` — the status and the start of what the receiver said, if it was read. */
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

function describeNetworkError(error: unknown, timeoutMs = REQUEST_TIMEOUT_MS) {
  if (!isError(error)) return `network error: ${String(error)}`;
  if (error instanceof RequestTimeoutError) {
    return `no response within ${timeoutMs / 1000} s`;
  }
  return withoutUrls(`network error: ${error.message}`);
}

/**
 * Errors are stored, shown on timelines and logged, but a webhook URL can itself be the secret
 * (Slack's), and some error messages quote URLs.
 */
function withoutUrls(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');
}
