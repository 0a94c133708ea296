import fs from 'node:fs';
import { InputError } from '@backstage/errors';

/** One recorded payload and where it came from, for error messages (`file:line`). */
export interface RecordedPayload {
  origin: string;
  body: unknown;
  /** When it was received, if the log recorded that (epoch ms). */
  receivedAt?: number;
}

/** Keys a logging receiver may put the received time under, tried in this order. */
const RECEIVED_AT_KEYS = ['receivedAt', 'received_at', 'time', 'timestamp'];
/** Keys a logging receiver may put the payload under, tried in this order. */
const BODY_KEYS = ['body', 'payload', 'notification'];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Epoch ms of a timestamp, `undefined` when absent, malformed or Go's zero time. */
export function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * Reads the payloads recorded in a file: a single JSON document (one payload, or an array of
 * payloads when `isPayloadList` says the array is a list rather than one payload), or JSON
 * Lines, one payload per line. A payload may be wrapped by the logger that recorded it, as
 * `{ "receivedAt": "<RFC 3339>", "body": <payload> }` (also `time`/`timestamp` and
 * `payload`/`notification`).
 */
export function readRecordedPayloads(
  file: string,
  flag: string,
  isPayloadList: (array: unknown[]) => boolean,
): RecordedPayload[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `${flag} ${file}: cannot read it (${(error as Error).message})`,
    );
  }
  let whole: unknown;
  let isWhole = true;
  try {
    whole = JSON.parse(text);
  } catch {
    isWhole = false;
  }
  if (isWhole) {
    if (Array.isArray(whole) && whole.length > 0 && isPayloadList(whole)) {
      return whole.map((body, i) => unwrap(body, `${file}[${i}]`, flag));
    }
    return [unwrap(whole, file, flag)];
  }
  const payloads: RecordedPayload[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const origin = `${file}:${i + 1}`;
    let body: unknown;
    try {
      body = JSON.parse(line);
    } catch (error) {
      throw new InputError(
        `${flag} ${origin}: neither the file nor this line is JSON (${
          (error as Error).message
        })`,
      );
    }
    payloads.push(unwrap(body, origin, flag));
  });
  if (payloads.length === 0) {
    throw new InputError(`${flag} ${file}: the file is empty`);
  }
  return payloads;
}

function unwrap(value: unknown, origin: string, flag: string): RecordedPayload {
  if (!isRecord(value)) return { origin, body: value };
  const bodyKey = BODY_KEYS.find(key => key in value);
  if (bodyKey === undefined || 'alerts' in value)
    return { origin, body: value };
  const timeKey = RECEIVED_AT_KEYS.find(key => key in value);
  if (timeKey === undefined) return { origin, body: value[bodyKey] };
  const receivedAt = instant(value[timeKey]);
  if (receivedAt === undefined) {
    throw new InputError(
      `${flag} ${origin}: ${timeKey} must be an RFC 3339 timestamp, got ${JSON.stringify(
        value[timeKey],
      )?.slice(0, 64)}`,
    );
  }
  return { origin, body: value[bodyKey], receivedAt };
}
