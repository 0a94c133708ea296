import { InputError } from '@backstage/errors';
import { echoed } from '@aiops/plugin-aiops-node';

/**
 * Field-level checks for receivers. Every error names the JSON path of the field that is wrong,
 * so a sender can fix its payload from the response alone.
 */

export type Json = unknown;

export function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: Json, path: string): Record<string, Json> {
  if (!isObject(value)) throw new InputError(`${path} must be an object`);
  return value;
}

export function requireArray(value: Json, path: string): Json[] {
  if (!Array.isArray(value)) throw new InputError(`${path} must be an array`);
  return value;
}

export function requireString(value: Json, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`${path} must be a non-empty string`);
  }
  return value;
}

export function optionalString(value: Json, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new InputError(`${path} must be a string`);
  return value;
}

/** A flat string map (Prometheus labels, annotations); non-string values are rejected. */
export function stringMap(value: Json, path: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const object = requireObject(value, path);
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(object)) {
    if (typeof entry !== 'string') {
      throw new InputError(`${path}.${echoed(key)} must be a string`);
    }
    result[key] = entry;
  }
  return result;
}

/** Go's zero time, which Alertmanager sends for "no end". */
const ZERO_TIME_PREFIX = '0001-01-01';

/**
 * Parses an RFC 3339 timestamp to ISO 8601 UTC. Returns undefined for absent values and Go's
 * zero time; throws for anything unparseable or outside years 1970–9999.
 */
export function optionalTimestamp(
  value: Json,
  path: string,
): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new InputError(`${path} must be an RFC 3339 timestamp`);
  if (value.startsWith(ZERO_TIME_PREFIX)) return undefined;
  const ms = Date.parse(value);
  if (
    !/^\d{4}-\d{2}-\d{2}T/.test(value) ||
    Number.isNaN(ms) ||
    ms < 0 ||
    ms > 253402300799999
  ) {
    throw new InputError(
      `${path} must be an RFC 3339 timestamp, got "${value.slice(0, 64)}"`,
    );
  }
  return new Date(ms).toISOString();
}

export function requireTimestamp(value: Json, path: string): string {
  const timestamp = optionalTimestamp(value, path);
  if (!timestamp)
    throw new InputError(`${path} is required (RFC 3339 timestamp)`);
  return timestamp;
}

export function oneOf<T extends string>(
  value: Json,
  allowed: readonly T[],
  path: string,
): T {
  if (
    typeof value !== 'string' ||
    !(allowed as readonly string[]).includes(value)
  ) {
    throw new InputError(`${path} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/**
 * A request carries more items than one request may. It is an `InputError` (the sender must
 * change the request) that answers 413, so senders can tell it from a malformed item.
 */
export class BatchTooLargeError extends InputError {
  readonly statusCode = 413;

  constructor(
    path: string,
    items: string,
    readonly received: number,
    readonly limit: number,
  ) {
    super(
      `${path} holds ${received} ${items}, more than the limit of ${limit} per request; split the batch`,
    );
  }
}
